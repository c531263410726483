"""The bank in the browser: search the exercises and questions the organization may use, read an
exercise (statement, limits, starter, public tests, and for members the reference, hidden
tests and mutants) or a question (with its answer key and rubric)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from bank.catalog import KINDS, BankFilters, bank_catalog, bank_exercise_get, bank_question_get
from bank.models import ExerciseVersion
from bank.package_files import package_files
from web.interviewer.access import member_required, organization_of
from web.statements import render_markdown

LEXERS = {".py": "python", ".toml": "toml", ".md": "markdown", ".json": "json"}
# Package folders shown under their own heading, in this order; other files go last.
SECTIONS = [
    ("Reference solution", "solution.py"),
    ("Hidden tests", "tests/hidden/"),
    ("Mutants (known-wrong solutions the hidden tests must reject)", "mutants/"),
    ("Support files", "support/"),
]
SHOWN_ELSEWHERE = {"statement.md", "starter.py"}


def code_html(source: str, name: str) -> str:
    """`source` highlighted as the kind of file `name` is (sanitized HTML)."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)  # a fence the source itself cannot close
    lexer = LEXERS.get(PurePosixPath(name).suffix, "text")
    return render_markdown(f"{fence}{lexer}\n{source}\n{fence}")


def _version_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("version", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("no such version")
    return int(raw)


def _package_sections(version: ExerciseVersion) -> list[tuple[str, list[tuple[str, str]]]]:
    files = package_files(version)
    public = {f"tests/public/{name}" for name in version.public_tests}
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    taken: set[str] = set(SHOWN_ELSEWHERE) | public
    for title, prefix in SECTIONS:
        names = [n for n in files if n == prefix or (prefix.endswith("/") and n.startswith(prefix))]
        taken.update(names)
        sections.append((title, [(n, code_html(files[n], n)) for n in names]))
    rest = [n for n in files if n not in taken]
    sections.append(("Other files", [(n, code_html(files[n], n)) for n in rest]))
    return [(title, entries) for title, entries in sections if entries]


def _in_language(texts: dict[str, str], language: str) -> str:
    """The text in `language`, else in English, else in whatever language there is."""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


@member_required
@require_safe
def bank(request: HttpRequest) -> HttpResponse:
    filters = BankFilters(
        **{
            name: request.GET.get(name, "").strip()
            for name in ("q", "tag", "difficulty", "gpu", "kind", "topic")
        }
    )
    catalog = bank_catalog(organization=organization_of(request), filters=filters)
    context: dict[str, Any] = {
        "catalog": catalog,
        "filters": filters,
        "filtered": filters != BankFilters(),
        "kinds": KINDS,
        "gpu_modes": ExerciseVersion.Gpu.values,
    }
    return render(request, "interviewer/bank.html", context)


@member_required
@require_safe
def bank_exercise(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    found = bank_exercise_get(
        organization=organization_of(request),
        slug=exercise_slug,
        number=_version_number(request),
    )
    if found is None:
        raise Http404("no such exercise or version")
    exercise, version, versions = found
    context: dict[str, Any] = {
        "exercise": exercise,
        "version": version,
        "versions": versions,
        "statement_html": render_markdown(version.statement),
        "starter_html": code_html(version.starter, "starter.py"),
        "public_tests": [
            (name, code_html(source, name)) for name, source in sorted(version.public_tests.items())
        ],
        "sections": _package_sections(version),
    }
    return render(request, "interviewer/bank_exercise.html", context)


@member_required
@require_safe
def bank_question(request: HttpRequest, question_slug: str) -> HttpResponse:
    found = bank_question_get(
        organization=organization_of(request),
        slug=question_slug,
        number=_version_number(request),
    )
    if found is None:
        raise Http404("no such question or version")
    question, version, versions = found
    languages = version.languages
    language = request.GET.get("lang", "en")
    if language not in languages:
        language = "en" if "en" in languages else languages[0]
    texts = version.texts[language]
    keyed = set(version.answer)
    context: dict[str, Any] = {
        "question": question,
        "version": version,
        "versions": versions,
        "language": language,
        "languages": languages,
        "prompt_html": render_markdown(texts.get("prompt", "")),
        "choices": [
            (index, render_markdown(text), index in keyed)
            for index, text in enumerate(version.choices.get(language, []))
        ],
        "explanation_html": render_markdown(texts.get("explanation", "")),
        "model_answer_html": render_markdown(texts.get("model_answer", "")),
        "rubric": [
            (item.get("points"), _in_language(item.get("criterion", {}), language))
            for item in version.rubric
        ],
    }
    return render(request, "interviewer/bank_question.html", context)


urlpatterns: list[URLPattern] = [
    path("app/bank/", bank, name="bank"),
    path("app/bank/exercises/<slug:exercise_slug>", bank_exercise, name="bank-exercise"),
    path("app/bank/questions/<slug:question_slug>", bank_question, name="bank-question"),
]
