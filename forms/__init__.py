"""Questions as data, the WTForms fields they become, and their validators.

One module per journey (`referral`), plus the shared pieces: `questions`
(the Question type and the kind → field builders), `validators`, `messages`
and `widgets` (one NHS.UK component each).
"""
