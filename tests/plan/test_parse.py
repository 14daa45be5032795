"""Each kind of mistake in a plan file gives an error naming the line it is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.errors import PlanError
from footfall.plan.parse import load_plan, parse_plan

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_shop.toml"

GOOD_HEAD = 'site = "shop"\ncurrency = "EUR"\n'


def test_the_fixture_plan_parses() -> None:
    plan = load_plan(FIXTURE)
    assert (plan.site, plan.currency, plan.identity) == ("shop", "EUR", "strict")
    assert [g.kind for g in plan.goals] == ["event", "page", "order", "event"]
    assert plan.goal("Purchased").dynamic_value  # type: ignore[union-attr]
    assert [s.goal or s.page for s in plan.funnels[0].steps] == ["/", "Pricing", "/checkout",
                                                                 "Purchased"]  # fmt: skip
    assert plan.funnels[0].window_minutes == 1440
    assert str(plan.campaigns[0].budget) == "100"


MISTAKES = [
    # (text, line, words in the message)
    ('site = "shop"\nsite_name = "x"\n', 2, "unknown key 'site_name'"),
    ('currency = "EUR"\n', None, "needs site"),
    ('site = "shop"\ncurrency = "euro"\n', 2, "3-letter"),
    ('site = "shop"\nidentity = "cookies"\n', 2, "identity must be one of"),
    ('site = "shop"\n[[goals]]\nname = "x"\n', 2, "exactly one of page, event"),
    ('site = "shop"\n[[goals]]\nname = "x"\npage = "pricing"\n', 4, "start with /"),
    (GOOD_HEAD + '[[goals]]\nname = "x"\npage = "/a"\nvalue = 9.99\n', 6, "never floats"),
    (GOOD_HEAD + '[[goals]]\nname = "x"\npage = "/a"\ncolour = "red"\n', 6, "unknown key 'colour'"),
    (GOOD_HEAD + '[[goals]]\nname = "x"\npage = "/a"\n\n[[goals]]\nname = "x"\npage = "/b"\n',
     7, "defined twice"),
    (GOOD_HEAD + '[[goals]]\nname = "a"\npage = "/a"\n\n[[funnels]]\nname = "f"\n'
     'steps = ["a", "Nope"]\n', 9, "step 'Nope' is neither a goal"),
    (GOOD_HEAD + '[[funnels]]\nname = "f"\nsteps = ["/a", "/b"]\nwindow = "2 weeks"\n', 6,
     "window is a duration"),
    (GOOD_HEAD + '[[kpis]]\nname = "k"\nmetric = "vistors"\ntarget = 3\nstart = 2027-01-01\n'
     'deadline = 2027-03-31\n', 5, "unknown metric 'vistors'"),
    (GOOD_HEAD + '[[kpis]]\nname = "k"\nmetric = "conversions"\ntarget = 3\n'
     'start = 2027-01-01\ndeadline = 2027-03-31\n', 5, "counts a goal"),
    (GOOD_HEAD + '[[kpis]]\nname = "k"\nmetric = "visits"\ntarget = 3\nstart = 2027-04-01\n'
     'deadline = 2027-03-31\n', 8, "before the start"),
    (GOOD_HEAD + '[[kpis]]\nname = "k"\nmetric = "visits"\nfilters = ["visit:colour=red"]\n'
     'target = 3\nstart = 2027-01-01\ndeadline = 2027-03-31\n', 6, "unknown dimension"),
    (GOOD_HEAD + '[[campaigns]]\nname = "c"\nbudget = "500"\n', 3, "needs a rule"),
    (GOOD_HEAD + '[[campaigns]]\nname = "c"\nutm_campaign = "x"\nbudget = "lots"\n', 6,
     "not an amount"),
    ('site = "shop"\n[[goals]\nname = "x"\n', 2, "not valid TOML"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "words"), MISTAKES)
def test_each_mistake_names_its_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.toml")
    assert caught.value.line == line, str(caught.value)
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"plan.toml:{line}:" if line else "plan.toml:")


def test_plan_check_names_lines_of_goals_that_never_fire(cli, write_log, db_path: Path,
                                                         tmp_path: Path) -> None:  # fmt: skip
    from tests.conftest import combined

    log = write_log("a.log", [combined("10.0.0.1", "2026-03-02 09:00:00", "/pricing")])
    assert cli("import", str(log), "--db", str(db_path), "--site", "shop", "-q").code == 0
    plan = tmp_path / "plan.toml"
    plan.write_text(GOOD_HEAD + '[[goals]]\nname = "Pricing"\npage = "/pricing"\n\n'
                    '[[goals]]\nname = "Old"\npage = "/old-offer*"\n\n'
                    '[[goals]]\nname = "Signup"\nevent = "Signup"\n')  # fmt: skip
    result = cli("plan", "check", str(plan), "--db", str(db_path))
    assert result.code == 1
    assert f"{plan}:7: goal 'Old': no stored pageview matches '/old-offer*'" in result.err
    assert f"{plan}:11: goal 'Signup' never fired" in result.err
    assert "Pricing" not in result.err


def test_plan_doc_is_readable_markdown(cli) -> None:
    result = cli("plan", "doc", str(FIXTURE))
    assert result.code == 0
    assert result.out.startswith("# Measurement plan: shop")
    assert "| Signup | the tracker event **Signup** with plan = pro | 10 |" in result.out
    assert "Checkout**: / → Pricing → /checkout → Purchased" in result.out
    assert "**Conversion rate** (`conversion_rate`)" in result.out


def test_the_example_in_the_docs_parses() -> None:
    docs = (FIXTURE.parents[2] / "docs" / "plan.md").read_text()
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    plan = parse_plan(example, "docs/plan.md")
    assert [g.kind for g in plan.goals] == ["event", "page", "event", "order", "conversion"]
    assert plan.kpis[0].filters == ("visit:channel=Paid Social",)
    assert plan.funnels[0].window_minutes == 120 and plan.channel_rules[0].channel == "Partners"
