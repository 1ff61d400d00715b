"""ECTS allocation alone: steps of 0.5, never 0, never over a module or the budget."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recognition_engine.decision.allocation import Claim, allocate_ects, floor_to_step


def test_floor_to_step() -> None:
    assert floor_to_step(2.99999999999) == 3.0  # float noise is not a lost half step
    assert floor_to_step(2.7) == 2.5
    assert floor_to_step(0.4) == 0.0
    assert floor_to_step(-1) == 0.0


def test_claims_are_served_in_order_until_the_budget_is_spent() -> None:
    claims = [Claim("A", 6), Claim("B", 6), Claim("C", 6)]
    assert allocate_ects(claims, 9.3, 10) == {"A": 6, "B": 3}


def test_a_leftover_under_half_an_ects_goes_to_nobody() -> None:
    assert allocate_ects([Claim("A", 6), Claim("B", 6)], 6.4, 10) == {"A": 6}


def test_the_same_module_is_never_allocated_twice() -> None:
    assert allocate_ects([Claim("A", 3), Claim("A", 3)], 10, 10) == {"A": 3}


def test_at_most_max_modules() -> None:
    assert len(allocate_ects([Claim(str(i), 1) for i in range(5)], 10, 2)) == 2


claims = st.lists(
    st.builds(
        Claim,
        st.sampled_from([f"M{i}" for i in range(8)]),
        st.floats(min_value=0, max_value=30, allow_nan=False),
    ),
    max_size=12,
)


@given(claims, st.floats(min_value=0, max_value=200, allow_nan=False), st.integers(1, 10))
def test_allocation_invariants(claimed: list[Claim], budget: float, max_modules: int) -> None:
    allocated = allocate_ects(claimed, budget, max_modules)
    wanted = {}
    for claim in claimed:
        wanted.setdefault(claim.module_code, claim.wanted_ects)
    assert len(allocated) <= max_modules
    for code, ects in allocated.items():
        assert 0 < ects <= wanted[code] + 1e-9
        assert (ects * 2).is_integer()
    assert sum(allocated.values()) <= budget + 1e-9
