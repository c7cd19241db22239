"""Feedback that is true for each cell: the content review's wrong keys and false templates stay fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from srmquiz.core.bank import generate
from srmquiz.core.matrix import Matrix, Owner
from srmquiz.data.content import load_matrix, validate

SEEDS = range(5)


def bank_texts(matrix: Matrix) -> dict[str, list[str]]:
    """Every why-wrong text, as the learner reads it after "Why not <choice>:"."""
    out: dict[str, list[str]] = {}
    for seed in SEEDS:
        for q in generate(matrix, seed=seed):
            out.setdefault(q.id, []).extend(f"Why not {c}: {t}" for c, t in q.why_wrong.items())
    return out


def test_s3_encryption_in_transit_is_shared_with_each_half_named(matrix):
    """W1: S3 accepts plain HTTP; refusing it is the customer's bucket-policy setting."""
    cell = matrix.cell("s3", "network-traffic-protection")
    assert cell.owner is Owner.SHARED
    assert "aws:SecureTransport" in cell.customer_part and "TLS" in cell.aws_part
    q = next(q for q in generate(matrix) if q.id == "owner:s3:network-traffic-protection")
    assert q.answer == ("Shared",)
    assert "refuses plain HTTP" in q.why_wrong["AWS"]


def test_s3_server_side_encryption_is_up_to_date(matrix):
    """W5: SSE-C is off by default on new buckets since April 2026; DSSE-KMS is an option."""
    cell = matrix.cell("s3", "server-side-encryption")
    assert "April 2026" in cell.explanation
    assert "DSSE-KMS" in cell.customer_part
    assert "aws-s3-sse-c-blocking" in cell.where and "aws-s3-sse-c-blocking" in matrix.sources


def test_no_feedback_repeats_its_own_lead(matrix):
    """'Why not AWS: Not AWS: ...' read twice the same thing in 54 questions."""
    for qid, lines in bank_texts(matrix).items():
        for line in lines:
            lead, reason = line.split(": ", 1)
            choice = lead.removeprefix("Why not ")
            assert not reason.startswith(("Not ", f"{choice}:")), (qid, line)


@pytest.mark.parametrize(
    "false_claim", ["AWS plays no part", "cannot reach", "nothing is left for the customer"]
)
def test_general_reasons_that_were_false_for_some_cells_are_gone(matrix, false_claim):
    """W4: these said false things about EC2 encryption and IAM, RDS patching and S3.

    No general text says them any more; a cell's own text may, where it is true of that cell
    (#13: client-side encryption on ECS "AWS plays no part in that encryption"; RDS Custom
    contrasting standard RDS, where AWS guards hosts "the customer cannot reach")."""
    t = matrix.templates
    general = [*t.why_wrong.values(), *t.explanations.values(), *t.prompts.values()]
    assert not any(false_claim in text for text in general)
    own = [
        text
        for c in matrix.cells.values()
        for text in (c.explanation, c.aws_part, c.customer_part, *(w for _, w in c.why_not))
        if false_claim in text
    ]
    for qid, lines in bank_texts(matrix).items():
        for line in lines:
            if false_claim in line:
                assert any(text in line for text in own), (qid, line)


def test_a_cell_gives_its_own_reason_where_the_general_one_is_not_true(matrix):
    """RDS patching: the customer picks the maintenance window, so "not the customer's work"
    needs that said; a question about every service keeps the general reason."""
    q = next(q for q in generate(matrix) if q.id == "owner:rds:guest-os")
    assert "maintenance window" in q.why_wrong["Customer"]
    assert "maintenance window" in q.why_wrong["Shared"]
    ec2 = next(q for q in generate(matrix) if q.id == "owner:ec2:server-side-encryption")
    assert "AWS performs only the encryption the customer sets up" in ec2.why_wrong["Shared"]
    for q in generate(matrix, kinds=["always"]):
        assert not any("maintenance window" in t for t in q.why_wrong.values()), q.id


def write_reason(tiny_dir: Path, table: str) -> None:
    path = tiny_dir / "matrix.toml"
    path.write_text(path.read_text() + f"\n[services.vm.cells.guest-os.why_wrong]\n{table}\n")


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'customer = "It is yours."',
            "content/matrix.toml: services.vm.cells.guest-os.why_wrong.customer: "
            "unknown wrong owner 'customer' is not one of aws, shared",
        ),
        (
            'aws = "On {service} it is yours."',
            "content/matrix.toml: services.vm.cells.guest-os.why_wrong.aws: "
            "is plain text: no {placeholders} here",
        ),
        (
            'aws = "  "',
            "content/matrix.toml: services.vm.cells.guest-os.why_wrong.aws: "
            "expected a non-empty string",
        ),
    ],
)
def test_a_cell_s_own_reasons_are_checked(tiny_dir, table, expected):
    owner = load_matrix(tiny_dir).cell("vm", "guest-os").owner
    assert owner is Owner.CUSTOMER  # the fixture: a reason for "customer" is a wrong owner
    write_reason(tiny_dir, table)
    assert validate(tiny_dir) == [expected]


def test_a_cell_s_own_reason_replaces_the_template(tiny_dir):
    write_reason(tiny_dir, 'aws = "The VM is yours: AWS never logs in to it."')
    matrix = load_matrix(tiny_dir)
    q = next(q for q in generate(matrix) if q.id == "owner:vm:guest-os")
    assert q.why_wrong["AWS"] == "The VM is yours: AWS never logs in to it."
    assert q.why_wrong["Shared"].startswith("On Tiny VM,")  # the general reason elsewhere


@pytest.mark.parametrize(
    ("scenario", "answer"),
    [
        ("rds-database-open-to-internet", "Customer"),
        ("rds-unencrypted-snapshots", "Customer"),
        ("s3-choose-own-kms-key", "Customer"),
        ("s3-upload-without-encryption-header", "AWS"),
    ],
)
def test_a_story_about_one_half_of_a_shared_cell_is_keyed_to_that_half(matrix, scenario, answer):
    """W2: only the customer's half failed, so the exam's answer is Customer, not Shared."""
    q = next(q for q in generate(matrix) if q.id == f"scenario:{scenario}")
    assert matrix.cell(q.service, q.layer).owner is Owner.SHARED
    assert q.answer == (answer,)
    assert "this story is about one half" in q.why_wrong["Shared"]
    other = "AWS" if answer == "Customer" else "Customer"
    assert q.why_wrong[other].startswith("That is the other half of the layer")
    assert "layer that failed" not in q.prompt  # the old give-away wording of shared stories


def add_story(tiny_dir: Path, layer: str, part: str | None) -> None:
    line = f'part = "{part}"\n' if part else ""
    path = tiny_dir / "scenarios.toml"
    path.write_text(
        path.read_text()
        + f'\n[[scenarios]]\nid = "half"\ntitle = "T"\nservice = "db"\nlayer = "{layer}"\n'
        f'story = "Something happened."\nask = "Who should have acted?"\n{line}'
    )


def tiny_owner(tiny_dir: Path, owner: Owner) -> str:
    matrix = load_matrix(tiny_dir)
    return next(la for la in matrix.layer_ids if matrix.cell("db", la).owner is owner)


def test_a_story_on_a_shared_cell_must_name_its_half(tiny_dir):
    layer = tiny_owner(tiny_dir, Owner.SHARED)
    add_story(tiny_dir, layer, None)
    (line,) = validate(tiny_dir)
    assert line.startswith("content/scenarios.toml: scenarios[")
    assert line.endswith(
        f".part: missing: db/{layer} is shared, so say whose half the story is about (aws or customer)"
    )


def test_only_a_story_on_a_shared_cell_names_a_half(tiny_dir):
    layer = tiny_owner(tiny_dir, Owner.AWS)
    add_story(tiny_dir, layer, "customer")
    (line,) = validate(tiny_dir)
    assert line.endswith(f".part: only stories on a shared cell name a part (db/{layer} is aws)")


def test_true_false_about_a_shared_cell_states_one_half_whole(matrix):
    """W3: 'the customer's responsibility' is half true of a shared cell; a claim about one
    half, with the sides swapped when false, is true or false as a whole."""
    # every shared cell, but a variant's cell taken unchanged from its base (#13: asked on the
    # base, which is in the quiz too)
    shared = [c for c in matrix.cells.values() if c.owner is Owner.SHARED and not c.inherited_from]
    assert any(matrix.service(c.service).base for c in shared)  # a variant's own shared cell
    bank = {q.id: q for q in generate(matrix, kinds=["true-false"])}
    seen = set()
    for cell in shared:
        q = bank[f"true-false:{cell.service}:{cell.layer}"]
        assert "responsibility" not in q.prompt and "shared between" not in q.prompt, q.prompt
        assert cell.aws_part in q.prompt or cell.customer_part in q.prompt
        seen.add(q.answer)
        wrong = next(iter(q.why_wrong.values()))
        assert cell.aws_part in wrong and cell.customer_part in wrong  # both halves named
    assert seen == {("True",), ("False",)}  # the wording gives nothing away


def test_compare_questions_never_offer_a_half_right_service(matrix):
    """M4: a service whose cell is shared is half right for 'AWS's' or 'the customer's'."""
    by_name = {s.name: s.id for s in matrix.services}
    for q in generate(matrix, kinds=["compare"]):
        if q.id.endswith(":shared"):
            continue
        for choice in q.choices:
            assert matrix.cell(by_name[choice], q.layer).owner is not Owner.SHARED, q.id


SOURCE_TALK = ("the course", "by elimination", "documentation")


def test_explanations_state_the_fact_and_notes_carry_the_source_remarks(matrix):
    """Issue #11: what the course says or leaves out goes on the source line, as a note."""
    from srmquiz.widgets.feedback import single_pane_html
    from srmquiz.widgets.html import esc

    noted = 0
    for q in generate(matrix, kinds=["owner"]):
        assert not any(t in q.explanation.lower() for t in SOURCE_TALK), (q.id, q.explanation)
        cell = matrix.cell(q.service, q.layer)
        assert q.notes == ((cell.note,) if cell.note else ())
        if not cell.note:
            continue
        noted += 1
        html = single_pane_html(matrix, q, next(c for c in q.choices if c not in q.answer))
        explanation, source = html.split('<p class="srmq-source">')
        assert esc(cell.note) not in explanation
        assert source.index("Source: ") < source.index(f"Note: {esc(cell.note)}"), q.id
    for service, layer in [
        ("rds", "server-side-encryption"),
        ("rds", "network-traffic-protection"),
        ("s3", "server-side-encryption"),
        ("s3", "network-traffic-protection"),
        ("rds", "global-infrastructure"),
        ("rds", "network-firewall-config"),
        ("ec2", "server-side-encryption"),
        ("ec2", "network-traffic-protection"),
    ]:
        assert "course" in matrix.cell(service, layer).note.lower(), (service, layer)
    assert noted >= 8


@pytest.mark.parametrize(
    ("note", "problem"),
    [('"  "', "is empty"), ('"On {service} it differs."', "is plain text: no {placeholders} here")],
)
def test_a_cell_s_note_is_checked(tiny_dir, note, problem):
    path = tiny_dir / "matrix.toml"
    header = "[services.vm.cells.guest-os]\n"
    path.write_text(path.read_text().replace(header, f"{header}note = {note}\n", 1))
    assert validate(tiny_dir) == [
        f"content/matrix.toml: services.vm.cells.guest-os.note: {problem}"
    ]


def test_owner_prompts_on_a_shared_cell_ask_about_the_whole_layer(matrix):
    """M3: 'Who encrypts the database storage?' keyed Shared read as AWS's half; a task on a
    shared cell names the responsibility, not one side's action."""
    for seed in range(20):
        for q in generate(matrix, seed=seed, kinds=["owner"]):
            if q.answer == ("Shared",):
                task = q.prompt.removeprefix("Who ").rsplit(" on ", 1)[0]
                assert task.startswith(("is responsible for", "protects")), q.prompt


def test_questions_across_services_speak_only_for_the_services_asked(matrix):
    """M6: 'Whatever the AWS service' was false for Outposts, where the customer keeps the site."""
    for q in generate(matrix, kinds=["always"]):
        assert q.prompt.startswith("On every service in this quiz,"), q.prompt


def test_the_contrasts_a_learner_trips_over_are_explained(matrix):
    """M2: EC2 encryption at rest is the customer's, RDS's is split; M1: 'applications' in
    the platform layer is the service's own software, not the customer's code."""
    ec2 = matrix.cell("ec2", "server-side-encryption").explanation
    assert "on RDS" in ec2 and "split" in ec2
    for service in ("rds", "s3"):
        cell = matrix.cell(service, "platform-applications")
        assert "yours" in cell.explanation and "application" in cell.note


def test_the_first_question_answered_shared_says_what_shared_means(matrix):
    """#11 item 6: 'shared' explained once, where the learner first meets it."""
    import html

    from srmquiz.widgets.quiz import Quiz
    from tests.test_quiz import answer

    ids = [
        "owner:ec2:guest-os",
        "owner:rds:network-firewall-config",
        "owner:rds:server-side-encryption",
    ]
    bank = {q.id: q for q in generate(matrix)}
    quiz = Quiz([bank[i] for i in ids], matrix=matrix)
    meaning = html.escape(matrix.templates.explanations["shared_meaning"], quote=True)
    seen = []
    for _ in ids:
        answer(quiz, right=True)
        seen.append(meaning in quiz.feedback_text)
        quiz.next_button.click()
    assert seen == [False, True, False]
    assert "shared controls" in matrix.templates.explanations["shared_meaning"]


def test_category_feedback_says_why_a_choice_does_not_fit(matrix):
    """The review's category feedback restated a definition and ended in a fragment."""
    q = next(q for q in generate(matrix, kinds=["category"]) if q.service == "s3")
    assert q.explanation.startswith("Amazon S3 is an abstracted service.")
    for text in q.why_wrong.values():
        assert "Amazon S3 is an abstracted service instead" in text
