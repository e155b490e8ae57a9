"""A bare Flask "hello world": the ceiling the portal's speed is measured against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
