"""The instructor walkthrough, driven headless as a presenter would: Next, Previous, the menu."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest

from srmquiz.cli import main
from srmquiz.core.matrix import Owner
from srmquiz.data.content import load_matrix
from srmquiz.draw.stacks import comparison_png, stack_png
from srmquiz.notebook import walkthrough
from srmquiz.widgets.walkthrough import Walkthrough


@pytest.fixture
def w() -> Walkthrough:
    made = walkthrough()
    assert isinstance(made, Walkthrough)
    return made


def press_next_until(w: Walkthrough, title: str) -> int:
    clicks = 0
    while title not in w.title.value:
        assert not w.next_button.disabled, f"reached the end without {title!r}"
        w.next_button.click()
        clicks += 1
    return clicks


def test_steps_follow_the_course_path(w):
    sections = list(dict.fromkeys(s.section for s in w.steps))
    assert sections == [
        "Introduction",
        "Amazon EC2",
        "Amazon RDS",
        "Amazon S3",
        "Rules",
        "Comparison",
        "The spectrum",
        "Class quiz",
    ]
    assert "hypervisor" in w.steps[1].text.lower()  # servers and the hypervisor come first


def test_who_owns_this_pauses_before_each_reveal(w, matrix):
    press_next_until(w, "Amazon EC2: Guest operating system")
    assert w.waiting
    assert w.next_button.description == "Reveal answer"
    assert "Ask the room" in w.ask.value and "guest operating system" in w.ask.value
    assert w.answer.value == ""  # the answer is not on screen yet
    below = matrix.layer_ids[: matrix.layer("guest-os").index]
    assert w.picture.png == stack_png(
        matrix, "ec2", ["guest-os"], reveal=below
    )  # the asked layer is still a "?"
    assert "still hidden" in w.picture.caption.value
    position = w.position
    w.next_button.click()
    assert w.position == position  # the first Next reveals, it does not move on
    assert not w.waiting
    assert "Customer." in w.answer.value  # the course: the customer patches the guest OS on EC2
    assert w.picture.png == stack_png(matrix, "ec2", ["guest-os"], reveal=[*below, "guest-os"])
    assert w.next_button.description == "Next ▶"
    w.next_button.click()
    assert w.position == position + 1


def test_ec2_asks_every_layer_and_later_services_only_what_changes(w, matrix):
    asked = {(s.section, s.title.split(": ", 1)[1]) for s in w.steps if s.ask}
    ec2 = {t for sec, t in asked if sec == "Amazon EC2"}
    assert ec2 == {la.name for la in matrix.layers_of("ec2")}  # the course's twelve
    rds = {t for sec, t in asked if sec == "Amazon RDS"}
    # the course: on RDS AWS takes over the operating system and the platform...
    assert {"Guest operating system", "Platform & applications"} <= rds
    # ...while the data and IAM stay with the customer, as on EC2, so they are not asked again
    assert not rds & {"Customer data", "Identity & access management", "Hypervisor"}
    rds_lead = next(s for s in w.steps if s.title.startswith("Amazon RDS ("))
    assert any(i.startswith("Customer data: Customer, as on Amazon EC2") for i in rds_lead.items)


def test_the_whole_walkthrough_by_next_alone(monkeypatch):
    import srmquiz.draw.stacks as stacks

    # the path through the steps is what is tested here: a stand-in picture for each
    # (every real picture is drawn by the other tests and the presenter browser test)
    small = stack_png(load_matrix(), "s3")
    monkeypatch.setattr(stacks, "picture_png", lambda *_a, **_k: small)
    w = walkthrough()
    assert isinstance(w, Walkthrough)
    seen_sections = []
    clicks = 0
    while not w.next_button.disabled:
        seen_sections.append(w.step.section)
        w.next_button.click()
        clicks += 1
        assert clicks < 200
    assert w.position == len(w.steps) - 1
    assert clicks == len(w.steps) - 1 + sum(bool(s.ask) for s in w.steps)
    assert w.step.section == "Class quiz" and "class quiz" in w.title.value
    assert "Amazon S3" in seen_sections


def test_previous_and_the_section_menu(w):
    assert w.prev_button.disabled
    w.jump.value = "Amazon S3"
    assert w.step.title == "Amazon S3 (Abstracted)"
    assert "Step" in w.position_label.value and "Amazon S3" in w.position_label.value
    w.prev_button.click()
    assert w.step.section == "Amazon RDS"
    assert w.jump.value == "Amazon RDS"  # the menu follows Previous/Next
    w.jump.value = "Comparison"
    assert w.picture.png == comparison_png(matrix_of(w), ["ec2", "rds", "s3"])


def matrix_of(w: Walkthrough):
    return w.matrix


def test_rules_are_computed_from_the_matrix(w):
    w.jump.value = "Rules"
    text = w.text.value
    # over every service of the matrix (#13): on Outposts the customer keeps the site, so the
    # physical layer is no longer AWS's everywhere; the rest of the base still is
    m = w.matrix
    assert m.cell("ec2-outposts", "physical-infrastructure").owner is not Owner.AWS
    assert (
        "AWS, on every service: Global infrastructure, Hypervisor, Host operating system</li>"
        in text
    )
    assert (
        "The customer, on every service: Identity &amp; access management, "
        "Client-side encryption, Customer data</li>" in text
    )
    for s in m.service_ids:  # each listed layer holds on every service
        for lid in ("global-infrastructure", "hypervisor", "host-os"):
            assert m.cell(s, lid).owner is Owner.AWS, (s, lid)
        for lid in ("iam", "client-side-encryption", "customer-data"):
            assert m.cell(s, lid).owner is Owner.CUSTOMER, (s, lid)


def classes(widget: widgets.DOMWidget) -> set[str]:
    """The CSS classes a browser sees on a widget (its synced state)."""
    return set(widget.get_state()["_dom_classes"])


def test_presenter_layout_puts_the_picture_beside_the_text_and_enlarges_the_controls(matrix):
    """What a projector needs (review, user 2): one screen per step at 1280x720."""
    normal, big = walkthrough(), walkthrough(presenter=True)
    for w in (normal, big):
        assert isinstance(w.children[0], widgets.HTML) and "<style>" in w.children[0].value
        assert w.children[1:] == (w.nav, w.body)  # navigation on top, then the step
        assert w.nav.children[:2] == (w.prev_button, w.next_button)
        assert w.body.children == (w.picture, w.side)  # the picture beside the text
        # the question and, after Reveal, the answer come right under the title
        assert w.side.children[:4] == (w.title, w.text, w.ask, w.answer)
        assert {"srmquiz", "srmq-walk"} <= classes(w)
        assert "srmq-walk-body" in classes(w.body)
    assert "srmq-presenter" in classes(big) and "srmq-presenter" not in classes(normal)
    assert big.layout.max_width is None  # a projector's whole width
    sheet = big.children[0].value
    # controls and captions grow with the projector; rules scoped to the presenter class
    assert ".srmq-walk.srmq-presenter { --srmq-walk-font: clamp(18px" in sheet
    assert ".srmq-walk.srmq-presenter .srmq-walk-nav .jupyter-button" in sheet
    assert "font-size: var(--srmq-walk-font)" in sheet
    press_next_until(big, "Amazon EC2: Guest operating system")
    img = big.picture.image.value  # the <img>: its width chosen, its height by its aspect
    assert "width:min(calc(" in img and "max(240px, 100vh - 300px)" in img  # as tall as fits
    assert "58cqw)" in img  # at most 58% of the width: the text keeps the rest
    assert "height:auto" in img
    assert len(big.picture.png) > len(_first_picture(normal))


def _first_picture(w: Walkthrough) -> bytes:
    press_next_until(w, "Amazon EC2: Guest operating system")
    return bytes(w.picture.png)


def test_the_picture_keeps_its_aspect_and_its_box_before_it_loads():
    from srmquiz.widgets.walkthrough import picture_box

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + (800).to_bytes(4, "big") + (1000).to_bytes(4, "big")
    width, height = picture_box(png, presenter=True)
    assert width == "min(calc(0.8000 * max(240px, 100vh - 300px)), 58cqw)"
    assert height == "min(max(240px, 100vh - 300px), 72.500cqw)"  # 58 / 0.8: same aspect
    wide = png[:16] + (1600).to_bytes(4, "big") + (1000).to_bytes(4, "big")
    assert picture_box(wide, presenter=False)[0].endswith("100cqw)")  # text wraps under it


def test_captions_count_hidden_layers_in_words(w, matrix):
    press_next_until(w, "Amazon EC2: Customer data")  # the last layer asked on EC2
    assert "1 layer still hidden" in w.picture.caption.value
    assert "1 layers" not in w.picture.caption.value
    w.next_button.click()  # reveal: nothing hidden any more
    assert "still hidden" not in w.picture.caption.value
    w.jump.value = "Rules"  # every service side by side: a count, not fourteen names
    assert f"all {len(matrix.service_ids)} services" in w.picture.caption.value


def test_narration_is_escaped(shipped_copy):
    path = shipped_copy / "walkthrough.toml"
    path.write_text(
        path.read_text().replace(
            'title = "Who secures what?"', 'title = "<script>alert(1)</script>Who?"'
        )
    )
    made = walkthrough(content=shipped_copy)
    assert "<script>" not in made.title.value
    assert "&lt;script&gt;" in made.title.value


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "[services.rds]",
            "[services.lightsail]",
            "walkthrough.toml: services.lightsail: unknown service 'lightsail' is not one of ec2, rds, s3, lambda, dynamodb, ecs-fargate, ecs-ec2, eks, elastic-beanstalk, aurora, lambda-container, elastic-beanstalk-manual, rds-custom, ec2-outposts",
        ),
        ('ask = "changes"', 'ask = "some"', "services.rds.ask: 'some' is not one of all, changes"),
        (
            'source = "course-transcript"\nwhere = "opening questions"',
            'source = "the-web"\nwhere = "opening questions"',
            "intro[0].source: unknown source 'the-web'",
        ),
        ("\n[comparison]\n", "\n[comparisons]\n", "walkthrough.toml: comparison: missing"),
    ],
)
def test_broken_walkthrough_content_is_one_clear_line(shipped_copy, capsys, old, new, expected):
    path = shipped_copy / "walkthrough.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    made = walkthrough(content=shipped_copy)
    assert isinstance(made, widgets.HTML)
    assert "srmquiz could not start" in made.value and expected in html.unescape(made.value)
    assert main(["validate", str(shipped_copy)]) == 1
    assert expected in capsys.readouterr().out + capsys.readouterr().err


def test_validate_ignores_a_missing_walkthrough(shipped_copy, capsys):
    (shipped_copy / "walkthrough.toml").unlink()  # an author's content without the walkthrough
    assert main(["validate", str(shipped_copy)]) == 0
    made = walkthrough(content=shipped_copy)
    assert isinstance(made, widgets.HTML)
    assert "walkthrough.toml: file not found" in html.unescape(made.value)


def test_the_package_entry_point_can_be_called_again():
    import srmquiz

    first, second = srmquiz.walkthrough(), srmquiz.walkthrough()  # a re-run notebook cell
    assert isinstance(first, Walkthrough) and isinstance(second, Walkthrough)


def test_a_layer_step_shows_the_cell_s_note_with_its_source(w, matrix):
    """Remarks about the sources left the explanations; the walkthrough still shows them."""
    cell = matrix.cell("ec2", "server-side-encryption")
    assert cell.note
    press_next_until(w, "Amazon EC2: " + matrix.layer("server-side-encryption").name)
    assert "Note: " + html.escape(cell.note, quote=True) in w.source.value
    assert cell.note not in w.answer.value
