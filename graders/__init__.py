"""The TensorJudge grading engine: the part that runs inside the sandbox.

Django-free and Docker-free. The checker (trusted) runs pytest with `graders.pytest_plugin`;
the candidate and reference workers run `graders.runner`; values cross between them through
`graders.codec` over `graders.wire` frames. The host side (`sandbox/`) imports `graders.package`
and `graders.report` to read exercise packages and build verdicts.
"""
