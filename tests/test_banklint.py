"""The bank check: each rule catches its slip, with the exact line, and passes clean text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from srmquiz.cli import main
from srmquiz.core.bank import generate
from srmquiz.core.banklint import (
    RULES,
    SEEDS,
    RenderedBank,
    check_bank,
    half_of_shared,
    learner_texts,
    plural_phrase,
)
from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.questions import Question
from srmquiz.core.wording import Wording
from srmquiz.data.content import load_matrix

from .conftest import SHIPPED

CLEAN_TEMPLATES = SHIPPED / "templates.toml"  # the shipped wording must read clean
DATA_EXPLANATION = 'explanation = "Your data is yours."'  # vm's customer-data cell


def set_template(path: Path, key: str, value: str) -> None:
    """Replace the whole `key = "..."` line of a templates.toml."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(key)} = .*$", re.M)
    assert pattern.search(text), f"{key} not in {path.name}"
    path.write_text(pattern.sub(lambda _m: f'{key} = "{value}"', text, count=1), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lines(content: Path, rule: str | None = None, qid: str | None = None) -> list[str]:
    """The finding lines over the default 20 seeds, of one rule and one question if given."""
    found = check_bank(load_matrix(content))
    return [
        f.line
        for f in found
        if (rule is None or f.rule == rule) and (qid is None or f.question_id == qid)
    ]


@pytest.fixture
def two_services(tiny_dir: Path) -> Path:
    """The tiny content (Tiny VM, Tiny DB with a shared guest-os cell), shipped templates."""
    shutil.copy(CLEAN_TEMPLATES, tiny_dir / "templates.toml")
    return tiny_dir


@pytest.fixture
def clean_dir(two_services: Path) -> Path:
    """Tiny VM alone, with a singular noun for its bottom layer: nothing to find."""
    matrix = two_services / "matrix.toml"
    edit(matrix, 'noun = "the physical servers"', 'noun = "the server hardware"')
    text = matrix.read_text(encoding="utf-8")
    matrix.write_text(text[: text.index("[services.db]")], encoding="utf-8")
    return two_services


def test_the_rules_and_their_order():
    assert list(RULES) == [
        "agreement",
        "doubled-prefix",
        "half-of-shared",
        "identical-prompts",
        "argues-with-source",
        "unfilled",
    ]
    assert all(rule.__doc__ for rule in RULES.values())


def test_clean_content_has_no_finding(clean_dir: Path):
    # Its which-are reasons start with their own choice ("Customer data on Tiny VM: ..."):
    # a select-all question shows them under the choice, with no "Why not" lead to repeat.
    assert lines(clean_dir) == []


# --- agreement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "On Tiny VM, the physical servers is AWS's.",
        "Tiny VM and Tiny DB is yours.",
        "Of the 3 layers, 1 are yours.",
        "Keep 1 copies of it.",
        "Of these, 0 is shared.",
        "AWS owns 2 layer of it.",
        "Patching is shared responsibility.",
        "Tiny VM is IaaS service.",
    ],
)
def test_agreement_catches(two_services: Path, sentence: str):
    edit(two_services / "matrix.toml", DATA_EXPLANATION, f'explanation = "{sentence}"')
    assert lines(two_services, "agreement", "owner:vm:customer-data") == [
        f"owner:vm:customer-data: agreement: explanation: {sentence}"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The physical servers are AWS's.",
        "Responsibility for the physical servers is shared.",
        "The guest operating system is yours.",
        "Tiny VM and Tiny DB are yours.",
        "Of the 3 layers, 1 is yours.",
        "AWS owns 1 of the 3 layers.",
        "TLS 1.2 is required; keep 2 copies.",
        "It is a shared responsibility.",
        "Read the AWS shared responsibility model.",
        "Shared responsibility starts here.",
        "Tiny VM is an IaaS service.",
    ],
)
def test_agreement_passes(two_services: Path, sentence: str):
    edit(two_services / "matrix.toml", DATA_EXPLANATION, f'explanation = "{sentence}"')
    assert lines(two_services, "agreement", "owner:vm:customer-data") == []


@pytest.mark.parametrize(
    ("noun", "plural"),
    [
        ("the physical servers and the data-center facilities", True),
        ("the Regions, Availability Zones and edge locations", True),
        ("the platform and the applications on it", True),
        ("the physical servers", True),
        ("the network and firewall configuration", False),
        ("identity and access management", False),
        ("the operating system of the physical hosts", False),
        ("the hypervisor (the virtualization layer)", False),
        ("the protection of data in transit", False),
        ("server-side encryption of data at rest", False),
        ("the data itself", False),
    ],
)
def test_plural_phrase(noun: str, plural: bool):
    assert plural_phrase(noun) is plural


def test_agreement_in_the_templates(two_services: Path):
    templates = two_services / "templates.toml"
    edit(
        templates,
        'build = "Owners of the {total} layers on {service}: AWS {aws}, the customer {customer}, shared {shared}."',
        'build = "On {service}, AWS owns {aws} of the {total} layers, the customer {customer}, and {shared} are shared."',
    )
    edit(templates, "{is} {noun} {possessive}?", "is {noun} {possessive} responsibility?")
    edit(
        two_services / "matrix.toml",
        'name = "Platform as a service (PaaS)"',
        'name = "Managed service"',
    )
    edit(two_services / "matrix.toml", 'short = "PaaS"', 'short = "Managed"')
    found = lines(two_services, "agreement")
    assert (
        "build-the-stack:db: agreement: explanation: …1 of the 3 layers, the customer 1, and 1 are shared."
        in found
    )
    assert "build-the-stack:vm: agreement" not in "".join(found)  # "and 0 are shared"
    assert (
        "category:db: agreement: explanation: Tiny DB is Managed service. A platform the provider runs for you. A managed database."
        in found
    )
    assert (
        "compare:guest-os:shared: agreement: prompt: …services is the guest operating system shared responsibility?"
        in found
    )


# --- doubled-prefix ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("why", "line"),
    [
        (
            "Not AWS: on {service}, {noun} is the customer's.",
            "Why not AWS: Not AWS: on Tiny VM, the data itself is the customer's.",
        ),
        (
            "not aws - {noun} is the customer's.",
            "Why not AWS: not aws - the data itself is the customer's.",
        ),
        (
            "AWS plays no part in {noun}.",
            "Why not AWS: AWS plays no part in the data itself.",
        ),
        ("AWS's part ends below {noun}.", None),
        ("On {service}, {noun} is the customer's.", None),
    ],
)
def test_doubled_prefix_on_the_feedback_lead(two_services: Path, why: str, line: str | None):
    set_template(two_services / "templates.toml", "aws_when_customer", why)
    expected = [f"owner:vm:customer-data: doubled-prefix: feedback: {line}"] if line else []
    assert lines(two_services, "doubled-prefix", "owner:vm:customer-data") == expected


def test_doubled_prefix_names_the_customer_too(two_services: Path):
    set_template(
        two_services / "templates.toml",
        "customer_when_aws",
        "Not the customer: on {service}, AWS runs {noun} as part of security of the cloud.",
    )
    assert lines(two_services, "doubled-prefix", "owner:vm:physical-infrastructure") == [
        "owner:vm:physical-infrastructure: doubled-prefix: feedback: Why not Customer: Not the customer: on Tiny VM, AWS runs the physical servers as part of security of the clou…"
    ]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Your data is is yours.", True),
        ("The the data is yours.", True),
        ("Say that that is yours.", False),
    ],
)
def test_doubled_word(two_services: Path, sentence: str, found: bool):
    edit(two_services / "matrix.toml", DATA_EXPLANATION, f'explanation = "{sentence}"')
    expected = [f"owner:vm:customer-data: doubled-prefix: explanation: {sentence}"] if found else []
    assert lines(two_services, "doubled-prefix", "owner:vm:customer-data") == expected


def test_a_slip_only_some_seeds_show_is_found_once(two_services: Path):
    edit(
        two_services / "phrasings.toml",
        'tasks = ["classifies the data"]',
        'tasks = ["classifies the data", "decides who sees the the data"]',
    )
    matrix = load_matrix(two_services)
    shown = [
        seed
        for seed in SEEDS
        if any("the the" in q.prompt for q in generate(matrix, seed=seed, services=["vm"]))
    ]
    assert 0 < len(shown) < len(SEEDS)
    assert lines(two_services, "doubled-prefix", "owner:vm:customer-data") == [
        "owner:vm:customer-data: doubled-prefix: prompt: Who decides who sees the the data on Tiny VM?"
    ]


# --- half-of-shared ----------------------------------------------------------------------

HALF_TRUE = [
    "compare:guest-os:customer: half-of-shared: Tiny DB keyed wrong, yet on it the customer picks the maintenance window",
    "true-false:db:guest-os: half-of-shared: keyed False, yet AWS installs the patches",
]


def test_the_generator_offers_no_half_right_choice(two_services: Path):
    """Compare and true-false questions are built so a shared cell is never half right."""
    assert lines(two_services, "half-of-shared") == []


def test_half_of_shared_in_compare_and_true_false(two_services: Path):
    """The rule still catches the two shapes, shown here as an older generator built them."""
    matrix = load_matrix(two_services)
    claim = matrix.templates.owners[Owner.AWS].claim.format(
        service="Tiny DB", **Wording(matrix).noun_fields(matrix.layer("guest-os"))
    )
    made = [
        Question(
            "compare:guest-os:customer", "compare", "On which is it the customer's?",
            ("Tiny VM", "Tiny DB"), ("Tiny VM",), "x", None, "guest-os",
        ),
        Question(
            "true-false:db:guest-os", "true-false", f"True or false? {claim}",
            ("True", "False"), ("False",), "x", "db", "guest-os",
        ),
    ]  # fmt: skip
    bank = RenderedBank(matrix, (), tuple((q, learner_texts(q)) for q in made))
    found = [f"{qid}: half-of-shared: {text}" for qid, text in half_of_shared(bank)]
    assert found == HALF_TRUE


def test_half_of_shared_owner_prompt_naming_one_half(two_services: Path):
    edit(
        two_services / "phrasings.toml",
        'by_service.vm = ["patches the VM\'s operating system"]',
        'by_service.vm = ["patches the VM\'s operating system"]\n'
        'by_service.db = ["picks the maintenance window"]',
    )
    with (two_services / "scenarios.toml").open("a", encoding="utf-8") as f:
        f.write(  # a story about one half is keyed to that half: nothing to find
            '\n[[scenarios]]\nid = "db-late-patch"\ntitle = "Late"\nservice = "db"\n'
            'layer = "guest-os"\nstory = "The provider installs the patches a week late."\n'
            'ask = "Who should have installed them on time?"\npart = "aws"\n'
        )
    assert lines(two_services, "half-of-shared") == [
        "owner:db:guest-os: half-of-shared: keyed Shared, yet the prompt asks for the customer's half: Who picks the maintenance window on Tiny DB?",
    ]


def test_half_of_shared_passes_a_prompt_about_the_whole_cell(two_services: Path):
    edit(
        two_services / "phrasings.toml",
        'by_service.vm = ["patches the VM\'s operating system"]',
        'by_service.vm = ["patches the VM\'s operating system"]\n'
        'by_service.db = ["keeps the database server\'s operating system patched"]',
    )
    assert lines(two_services, "half-of-shared") == []  # no owner:db:guest-os line


# --- identical-prompts -------------------------------------------------------------------


def test_identical_prompts_with_one_answer(two_services: Path):
    # Customer data has one phrasing and is the customer's on both services. Since #13 the
    # generator skips an owner question whose phrasings are used up with the same answer,
    # so the learner never meets "Who classifies the data on ...?" twice ...
    matrix: Matrix = load_matrix(two_services)
    for seed in SEEDS:
        ids = {q.id for q in generate(matrix, seed=seed, kinds=["owner"])}
        assert "owner:vm:customer-data" in ids and "owner:db:customer-data" not in ids
    # ... and the rule still finds the same story told of two services with one answer.
    story = (
        'layer = "customer-data"\nstory = "A file was shared by mistake."\nask = "Whose mistake?"\n'
    )
    with (two_services / "scenarios.toml").open("a", encoding="utf-8") as f:
        for sid in ("vm", "db"):
            f.write(
                f'\n[[scenarios]]\nid = "{sid}-leak"\ntitle = "Leak"\nservice = "{sid}"\n{story}'
            )
    assert lines(two_services, "identical-prompts") == [
        "scenario:db-leak: identical-prompts: same prompt and answer as scenario:vm-leak: A file was shared by mistake. Whose mistake?",
    ]


def test_identical_prompts_pass_the_same_question_with_another_answer(two_services: Path):
    # Guest OS: Tiny VM's is the customer's, Tiny DB's shared. Both draw the generic task in
    # some seeds; asking the same thing of both is the contrast the model teaches.
    matrix: Matrix = load_matrix(two_services)
    same = [
        seed
        for seed in SEEDS
        if len(
            {
                q.prompt.replace(matrix.service(q.service or "").name, "")
                for q in generate(matrix, seed=seed, kinds=["owner"])
                if q.layer == "guest-os"
            }
        )
        == 1
    ]
    assert same
    assert "guest-os" not in "".join(lines(two_services, "identical-prompts"))


# --- argues-with-source ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("The course does not say; your data is yours.", True),
        ("Per the transcript your data is yours.", True),
        ("It is yours by elimination.", True),
        ("AWS's S3 documentation says your data is yours.", True),
        ("In the course of a year your data stays yours.", False),
        ("Of course your data is yours.", False),
        ("AWS documents how to encrypt it; your data is yours.", False),
    ],
)
def test_argues_with_source(two_services: Path, sentence: str, found: bool):
    edit(two_services / "matrix.toml", DATA_EXPLANATION, f'explanation = "{sentence}"')
    expected = [f"owner:vm:customer-data: argues-with-source: explanation: {sentence}"]
    assert lines(two_services, "argues-with-source", "owner:vm:customer-data") == (
        expected if found else []
    )


def test_a_long_text_is_cut_to_120_characters(two_services: Path):
    sentence = "The course says " + "your data is yours, " * 8 + "always."
    edit(two_services / "matrix.toml", DATA_EXPLANATION, f'explanation = "{sentence}"')
    (line,) = lines(two_services, "argues-with-source", "owner:vm:customer-data")
    text = line.removeprefix("owner:vm:customer-data: argues-with-source: ")
    assert len(text) <= 120 and text.startswith("explanation: The course says your data")
    assert text.endswith("…")


# --- unfilled ----------------------------------------------------------------------------


def test_unfilled_brace(clean_dir: Path):
    edit(
        clean_dir / "templates.toml",
        'category = "Which kind of service is {service}?"',
        'category = "Which kind of service is {service}? {{hint}}"',
    )
    assert lines(clean_dir) == [
        "category:vm: unfilled: prompt: Which kind of service is Tiny VM? {hint}"
    ]


def test_unfilled_empty_feedback(clean_dir: Path):
    set_template(clean_dir / "templates.toml", "category_choice", "")
    assert lines(clean_dir) == [
        "category:vm: unfilled: feedback on Platform as a service (PaaS): empty"
    ]


# --- the shipped bank and the command line -----------------------------------------------


def test_the_shipped_bank_reads_clean_over_20_seeds(matrix: Matrix):
    """Every question and feedback text of the shipped content, for 20 seeds: no finding."""
    assert len(SEEDS) >= 20
    found = check_bank(matrix, SEEDS)
    assert [f.line for f in found] == []


def test_validate_bank_exit_codes(clean_dir: Path, capsys):
    assert main(["validate", "--bank", "content"]) == 0
    out = capsys.readouterr()
    assert out.out == "content: ok, and the bank reads clean over 20 seeds\n" and not out.err

    edit(
        clean_dir / "scenarios.toml",
        'ask = "Whose job',
        'lesson = "The course says so."\nask = "Whose job',
    )
    assert main(["validate", "--bank", "content", "--seeds", "3"]) == 1
    out = capsys.readouterr()
    assert out.out == (
        "scenario:vm-unpatched: argues-with-source: explanation: You patch your own VM. The course says so.\n"
    )
    assert out.err == "1 finding(s) in 1 question over 3 seeds\n"

    assert main(["validate", "content"]) == 0  # plain validate does not run the bank check
    assert capsys.readouterr().out == "content: ok\n"


@pytest.mark.parametrize("args", [["--seeds", "3"], ["--bank", "--seeds", "0"]])
def test_validate_seeds_needs_bank_and_one_seed(clean_dir: Path, capsys, args: list[str]):
    assert main(["validate", "content", *args]) == 2
    assert (
        capsys.readouterr().err == "srmquiz: --seeds N goes with --bank and needs N of at least 1\n"
    )
