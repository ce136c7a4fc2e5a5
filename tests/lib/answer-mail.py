#!/usr/bin/python3
# answer-mail.py — write a reply body to a mail of numbered questions, the
# way a person does: either inline (the mail quoted with "> ", each answer
# below its question) or numbered ("2. yes" lines above the quote).
#
#   answer-mail.py inline|numbered [PATTERN=ANSWER ...] < body
#
# Each question line ("N. text") whose text matches PATTERN (a Python
# regular expression, case-insensitive) is answered with ANSWER; the first
# matching pattern wins; unmatched questions are left unanswered unless a
# pattern "*" is given.  Prints the reply body.
import re
import sys

mode, pairs = sys.argv[1], sys.argv[2:]
answers = []
for p in pairs:
    pattern, _, answer = p.partition("=")
    answers.append((pattern, answer))
body = sys.stdin.read().splitlines()
question = re.compile(r"^\s*(\d{1,3})\.\s+(.*)$")


def answer_for(text):
    for pattern, answer in answers:
        if pattern == "*" or re.search(pattern, text, re.I):
            return answer
    return None


out = []
if mode == "numbered":
    for line in body:
        m = question.match(line)
        if m and answer_for(m.group(2)) is not None:
            out.append(f"{m.group(1)}. {answer_for(m.group(2))}")
    out += ["", "Jan", "", "On Monday, CERT wrote:"]
    out += ["> " + line if line else ">" for line in body]
else:
    out.append("On Monday, CERT wrote:")
    for line in body:
        out.append("> " + line if line else ">")
        m = question.match(line)
        if m and answer_for(m.group(2)) is not None:
            out += ["", answer_for(m.group(2)), ""]
print("\n".join(out))
