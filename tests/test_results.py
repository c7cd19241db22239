"""Result documents as records: the JSON form, loading, refusing, upgrading, collecting."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

import srmquiz.core.results as results
from srmquiz.core.questions import Answer
from srmquiz.core.results import (
    AnswerItem,
    ClassSummary,
    Grade,
    QuestionStat,
    ResultDocument,
    ResultError,
)
from srmquiz.core.sessions import new_session
from srmquiz.core.version import __version__
from srmquiz.data.progress import Store
from srmquiz.data.results import collect, export_result, load_result

KEYS = [
    "schema",
    "schema_version",
    "learner",
    "code",
    "started_at",
    "finished_at",
    "score",
    "total",
    "answers",
    "srmquiz_version",
    "content_checksum",
    "document_checksum",
]
ITEM_KEYS = ["question_id", "kind", "service", "layer", "given", "correct", "seconds"]


def old_checksum(body: dict[str, Any]) -> str:
    """The checksum as srmquiz 0.1 computed it, written out here on purpose."""
    rest = {k: v for k, v in body.items() if k != "document_checksum"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True).encode()).hexdigest()


def sealed(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "document_checksum": old_checksum(doc)}


def old_result_document(*, learner, code, matrix, answers, questions, started_at, finished_at):
    """srmquiz 0.1's result_document, kept verbatim as the reference for the file format."""
    by_id = {a.question.id: a for a in answers}
    items = []
    for q in questions:
        a = by_id.get(q.id)
        items.append(
            {
                "question_id": q.id,
                "kind": q.kind,
                "service": q.service,
                "layer": q.layer,
                "given": list(a.given) if a else None,
                "correct": bool(a and a.correct),
                "seconds": round(a.seconds, 3) if a else None,
            }
        )
    doc = {
        "schema": "srmquiz-result",
        "schema_version": 1,
        "learner": learner,
        "code": code,
        "started_at": round(started_at, 3),
        "finished_at": round(finished_at, 3),
        "score": sum(i["correct"] for i in items),
        "total": len(items),
        "answers": items,
        "srmquiz_version": __version__,
        "content_checksum": matrix.checksum,
    }
    doc["document_checksum"] = old_checksum(doc)
    return doc


def session_answers(matrix, seed: int) -> dict[str, Any]:
    """Arguments for a result: some questions right, some wrong, some not answered."""
    code, session = new_session(matrix, n=7, seed=seed)
    questions = session.questions(matrix)
    answers = []
    for i, q in enumerate(questions):
        if i % 3 == 2:
            continue  # not answered
        if i % 2:
            given = q.answer
        elif q.kind == "build-the-stack":  # a wrong stack still names an owner per layer
            given = tuple(q.choices[-1] for _ in q.parts)
        else:
            given = (q.choices[-1],)
        answers.append(Answer.of(q, given, 1.23456789 * (i + 1)))
    return {
        "learner": f"Jörg Ä. {seed}",
        "code": code,
        "matrix": matrix,
        "answers": answers,
        "questions": questions,
        "started_at": 1_700_000_000.1234567 + seed,
        "finished_at": 1_700_000_321 + seed,  # an int stays an int, as before
    }


# -- the JSON form ------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_new_file_is_byte_identical_to_what_the_previous_version_wrote(matrix, tmp_path, seed):
    kwargs = session_answers(matrix, seed)
    doc = ResultDocument.build(**kwargs)
    before = old_result_document(**kwargs)
    assert doc.to_dict() == before and list(doc.to_dict()) == KEYS == list(before)
    assert all(list(item) == ITEM_KEYS for item in doc.to_dict()["answers"])
    path = export_result(doc, tmp_path)
    assert (
        path.read_text(encoding="utf-8") == json.dumps(before, indent=2, ensure_ascii=False) + "\n"
    )
    assert doc.score == before["score"] and doc.total == before["total"]
    assert doc.document_checksum == old_checksum(before)


def test_to_dict_and_from_dict_round_trip(matrix):
    doc = ResultDocument.build(**session_answers(matrix, 5))
    again = ResultDocument.from_dict(doc.to_dict())
    assert again == doc
    assert again.to_dict() == doc.to_dict()
    through_json = ResultDocument.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert through_json == doc
    assert any(item.given is None and item.seconds is None for item in doc.answers)
    assert all(isinstance(item, AnswerItem) for item in doc.answers)
    assert all(isinstance(item.given, tuple) for item in doc.answers if item.given is not None)
    with pytest.raises(AttributeError):
        doc.learner = "someone else"


PREVIOUS_FORMAT = {
    "schema": "srmquiz-result",
    "schema_version": 1,
    "learner": "Zoë Ñ",
    "code": "SRM-7K2Q-M4XA",
    "started_at": 1700000001,
    "finished_at": 1700000123.457,
    "score": 1,
    "total": 3,
    "answers": [
        {
            "question_id": "owner:ec2:guest-os",
            "kind": "owner",
            "service": "ec2",
            "layer": "guest-os",
            "given": ["Customer"],
            "correct": True,
            "seconds": 4.5,
        },
        {
            "question_id": "which-are:rds",
            "kind": "which-are",
            "service": "rds",
            "layer": None,
            "given": ["Patching the database engine", "Backups"],
            "correct": False,
            "seconds": 12.125,
        },
        {
            "question_id": "build-the-stack:s3",
            "kind": "build-the-stack",
            "service": "s3",
            "layer": None,
            "given": None,
            "correct": False,
            "seconds": None,
        },
    ],
    "srmquiz_version": "0.1.0",
    "content_checksum": "0123456789abcdef",
}


def test_a_file_written_by_the_previous_format_loads_and_verifies(tmp_path):
    body = sealed(PREVIOUS_FORMAT)
    text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    path = tmp_path / "SRM-7K2Q-M4XA-Zo-.json"
    path.write_text(text, encoding="utf-8")
    doc = load_result(path)
    assert doc.learner == "Zoë Ñ" and doc.code == "SRM-7K2Q-M4XA"
    assert doc.score == 1 and doc.total == 3
    assert doc.started_at == 1700000001 and doc.finished_at == 1700000123.457
    assert doc.answers[0] == AnswerItem(
        "owner:ec2:guest-os", "owner", "ec2", "guest-os", ("Customer",), True, 4.5
    )
    assert doc.answers[2].given is None and doc.answers[2].seconds is None
    assert doc.srmquiz_version == "0.1.0" and doc.document_checksum == body["document_checksum"]
    assert doc.to_dict() == body and list(doc.to_dict()) == KEYS
    # exported again, it is the same file, byte for byte
    again = export_result(doc, tmp_path / "again")
    assert again.read_text(encoding="utf-8") == text
    # it was made with other content, so it cannot be graded again with this one: skipped,
    # with what to do (results are no longer kept with a note)
    got = collect([tmp_path])
    assert not got.results and got.code == "SRM-7K2Q-M4XA"
    assert len(got.skipped) == 1
    assert all("made with other content (checksum 0123456789ab" in s for s in got.skipped)
    assert all("collect it with that content (srmquiz --content DIR" in s for s in got.skipped)


# -- refusing -----------------------------------------------------------------------
def _set(path: list[Any], value: Any, *, drop: bool = False, reseal: bool = True):
    def change(doc: dict[str, Any]) -> dict[str, Any]:
        doc = copy.deepcopy(doc)
        target = doc
        for step in path[:-1]:
            target = target[step]
        if drop:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return sealed(doc) if reseal else doc

    return change


MALFORMED = [
    ("a list", lambda d: [1, 2], "expected a JSON object, got list"),
    ("a string", lambda d: "hello", "expected a JSON object, got str"),
    (
        "no schema",
        _set(["schema"], None, drop=True),
        'not an srmquiz result (no "schema": "srmquiz-result")',
    ),
    (
        "another schema",
        _set(["schema"], "x"),
        'not an srmquiz result (no "schema": "srmquiz-result")',
    ),
    (
        "no version",
        _set(["schema_version"], None, drop=True),
        "result schema_version None is not supported",
    ),
    (
        "version as text",
        _set(["schema_version"], "1"),
        "result schema_version '1' is not supported",
    ),
    (
        "an older version with no upgrade",
        _set(["schema_version"], 0),
        "result schema_version 0 is not supported",
    ),
    ("no learner", _set(["learner"], None, drop=True), "learner: missing or not a str"),
    ("code a number", _set(["code"], 7), "code: missing or not a str"),
    ("answers an object", _set(["answers"], {}), "answers: missing or not a list"),
    ("score as text", _set(["score"], "1"), "score: missing or not a int"),
    ("no total", _set(["total"], None, drop=True), "total: missing or not a int"),
    (
        "no content checksum",
        _set(["content_checksum"], None, drop=True),
        "content_checksum: missing or not a str",
    ),
    ("an answer a number", _set(["answers", 1], 5), "answers[1]: not an answer"),
    (
        "an answer without id",
        _set(["answers", 2, "question_id"], None, drop=True),
        "answers[2]: not an answer",
    ),
    (
        "correct as text",
        _set(["answers", 0, "correct"], "yes"),
        "answers[0].correct: missing or not true/false",
    ),
    ("total off", _set(["total"], 4), "total 4 does not match 3 answers"),
    ("score off", _set(["score"], 2), "score does not match the answers"),
    (
        "score off, checksum stale",
        _set(["score"], 3, reseal=False),
        "score does not match the answers",
    ),
    (
        "edited after saving",
        _set(["learner"], "Someone else", reseal=False),
        "checksum does not match: the file was edited after it was saved",
    ),
    (
        "no document checksum",
        _set(["document_checksum"], None, drop=True, reseal=False),
        "checksum does not match: the file was edited after it was saved",
    ),
    # what the typed record needs besides (always written, not read before)
    ("started_at as text", _set(["started_at"], "noon"), "started_at: missing or not a number"),
    (
        "no finished_at",
        _set(["finished_at"], None, drop=True),
        "finished_at: missing or not a number",
    ),
    ("finished_at true", _set(["finished_at"], True), "finished_at: missing or not a number"),
    (
        "no srmquiz_version",
        _set(["srmquiz_version"], None, drop=True),
        "srmquiz_version: missing or not a str",
    ),
    (
        "no kind",
        _set(["answers", 1, "kind"], None, drop=True),
        "answers[1].kind: missing or not a str",
    ),
    (
        "service a number",
        _set(["answers", 0, "service"], 3),
        "answers[0].service: not a str or null",
    ),
    ("layer a list", _set(["answers", 0, "layer"], ["x"]), "answers[0].layer: not a str or null"),
    (
        "given numbers",
        _set(["answers", 0, "given"], [1, 2]),
        "answers[0].given: not a list of texts or null",
    ),
    (
        "given a text",
        _set(["answers", 0, "given"], "Customer"),
        "answers[0].given: not a list of texts or null",
    ),
    (
        "seconds as text",
        _set(["answers", 1, "seconds"], "12"),
        "answers[1].seconds: not a number or null",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_each_malformed_document_gets_its_one_line_reason(change, message):
    bad = change(sealed(PREVIOUS_FORMAT))
    with pytest.raises(ResultError) as err:
        ResultDocument.from_dict(bad)
    assert str(err.value) == message
    assert "\n" not in str(err.value)
    assert isinstance(err.value, ValueError)


def test_malformed_files_and_database_rows_are_skipped_with_the_same_reason(matrix, tmp_path):
    good = ResultDocument.build(**session_answers(matrix, 3)).to_dict()
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "edited.json").write_text(json.dumps({**good, "learner": "Mallory"}))
    db = tmp_path / "class.db"
    with Store(db) as store:
        store.save_result("x", good["code"], {**good, "total": "3"})
        store.save_result("y", good["code"], {**good, "schema_version": 2})
    got = collect([tmp_path], db=db, matrix=matrix)
    assert [r.learner for r in got.results] == [good["learner"]]
    assert got.skipped == (
        f"{tmp_path / 'edited.json'}: checksum does not match: the file was edited after it was saved",
        f"{db} (result 1): total: missing or not a int",
        f"{db} (result 2): result schema_version 2 is not supported",
    )


def test_a_newer_schema_version_is_refused_with_one_line(tmp_path):
    newer = sealed({**PREVIOUS_FORMAT, "schema_version": 2, "a_new_field": [1, 2]})
    with pytest.raises(ResultError) as err:
        ResultDocument.from_dict(newer)
    assert str(err.value) == "result schema_version 2 is not supported"
    (tmp_path / "newer.json").write_text(json.dumps(newer))
    got = collect([tmp_path])
    assert not got.results
    assert got.skipped == (f"{tmp_path / 'newer.json'}: result schema_version 2 is not supported",)


# -- upgrading ----------------------------------------------------------------------
def test_the_upgrade_registry_is_a_complete_chain_below_the_current_version():
    assert all(isinstance(v, int) and v < results.RESULT_VERSION for v in results.UPGRADES)
    if results.UPGRADES:
        assert set(results.UPGRADES) == set(range(min(results.UPGRADES), results.RESULT_VERSION))


def test_an_older_version_is_upgraded_by_its_registered_step(monkeypatch):
    # a pretend version 0 that called the learner "name" and had no srmquiz_version
    v0 = {k: v for k, v in PREVIOUS_FORMAT.items() if k not in ("learner", "srmquiz_version")}
    v0 = sealed({**v0, "schema_version": 0, "name": "Ana"})
    seen: list[dict[str, Any]] = []

    def zero_to_one(doc: dict[str, Any]) -> dict[str, Any]:
        seen.append(doc)
        doc["learner"] = doc.pop("name")
        doc["srmquiz_version"] = "0.0"
        return doc

    monkeypatch.setitem(results.UPGRADES, 0, zero_to_one)
    original = copy.deepcopy(v0)
    doc = ResultDocument.from_dict(v0)
    assert v0 == original  # the step got a copy
    assert len(seen) == 1 and seen[0]["schema_version"] == 0
    assert doc.learner == "Ana" and doc.srmquiz_version == "0.0" and doc.score == 1
    upgraded = doc.to_dict()
    assert upgraded["schema_version"] == 1 and "name" not in upgraded
    assert upgraded["document_checksum"] == old_checksum(upgraded)  # sealed again
    assert ResultDocument.from_dict(upgraded) == doc
    # an old file edited after saving is refused before any step runs
    seen.clear()
    with pytest.raises(ResultError, match="^checksum does not match"):
        ResultDocument.from_dict({**v0, "name": "Mallory"})
    assert not seen


def test_upgrade_steps_run_in_order_up_to_the_current_version(monkeypatch):
    ran: list[int] = []

    def step(version: int, field: str):
        def upgrade(doc: dict[str, Any]) -> dict[str, Any]:
            assert doc["schema_version"] == version
            ran.append(version)
            doc["learner"] += f" {field}"
            return doc

        return upgrade

    monkeypatch.setattr(results, "RESULT_VERSION", 3)
    monkeypatch.setitem(results.UPGRADES, 2, step(2, "then-three"))
    monkeypatch.setitem(results.UPGRADES, 1, step(1, "to-two"))
    doc = ResultDocument.from_dict(sealed(PREVIOUS_FORMAT))
    assert ran == [1, 2]
    assert doc.learner == "Zoë Ñ to-two then-three"
    assert doc.to_dict()["schema_version"] == 3
    # a document already at the current version goes through no step
    ran.clear()
    assert ResultDocument.from_dict(doc.to_dict()) == doc and ran == []
    # a gap in the chain means no way up
    monkeypatch.delitem(results.UPGRADES, 2)
    with pytest.raises(ResultError, match="^result schema_version 1 is not supported$"):
        ResultDocument.from_dict(sealed(PREVIOUS_FORMAT))


def test_a_step_that_fails_on_a_document_is_one_line(monkeypatch):
    def needs_name(doc: dict[str, Any]) -> dict[str, Any]:
        doc["learner"] = doc.pop("name")
        return doc

    monkeypatch.setitem(results.UPGRADES, 0, needs_name)
    with pytest.raises(ResultError) as err:
        ResultDocument.from_dict(sealed({**PREVIOUS_FORMAT, "schema_version": 0}))
    assert str(err.value) == "cannot upgrade from schema_version 0: KeyError('name')"


# -- collecting ---------------------------------------------------------------------
def test_collected_rows_are_records_read_by_attribute(matrix, tmp_path):
    kwargs = session_answers(matrix, 7)
    ana = ResultDocument.build(**{**kwargs, "learner": "Ana"})
    right = [Answer.of(q, q.answer, 2.0) for q in kwargs["questions"]]
    bo = ResultDocument.build(**{**kwargs, "learner": "Bo", "answers": right})
    export_result(bo, tmp_path)
    export_result(ana, tmp_path)
    got = collect([tmp_path], matrix=matrix)
    grades = got.grades()
    assert all(isinstance(g, Grade) for g in grades)
    assert [(g.learner, g.score, g.total) for g in grades] == [
        ("Ana", ana.score, 7),
        ("Bo", 7, 7),
    ]
    assert grades[1].percent == 100 and grades[0].source.endswith("-Ana.json")
    stats = got.question_stats()
    assert all(isinstance(s, QuestionStat) for s in stats)
    assert [s.question_id for s in stats] == [q.id for q in kwargs["questions"]]
    for s, item in zip(stats, ana.answers, strict=True):
        assert s.asked == 2 and s.right == 1 + item.correct
        assert s.percent_right == round(100 * s.right / 2)
        assert sum(n for _, n in s.given) == 2
    unanswered = stats[2]
    assert ("(no answer)", 1) in unanswered.given
    summary = got.summary()
    assert isinstance(summary, ClassSummary)
    assert summary.students == 2 and summary.skipped == 0 and summary.code == kwargs["code"]
    data = json.loads(got.to_json())
    assert data["summary"] == summary.to_dict()
    assert data["grades"] == [g.to_dict() for g in grades]
    assert list(data["grades"][0]) == ["learner", "score", "total", "percent", "source"]
    assert list(data["questions"][0]) == [
        "question_id",
        "service",
        "layer",
        "asked",
        "right",
        "given",
        "percent_right",
    ]
    assert got.most_missed(1)[0].percent_right == min(s.percent_right for s in stats)


def test_difficulty_bars_draw_question_stat_records(matrix, tmp_path):
    from srmquiz.draw.charts import difficulty_bars

    stats = [
        QuestionStat("q:a", "ec2", "iam", 4, 1, (("AWS", 3), ("Customer", 1))),
        QuestionStat("q:b", None, None, 2, 2, (("AWS", 2),)),
    ]
    fig = difficulty_bars(stats, title="t")
    gids = {p.get_gid() for p in fig.axes[0].patches}
    assert {"question:q:a", "question:q:b"} <= gids
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"25% (1/4)", "100% (2/2)"} <= texts
