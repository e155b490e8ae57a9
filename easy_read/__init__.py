"""Easy-read content: per page, short sentences each beside a picture (issue: easy read)."""
