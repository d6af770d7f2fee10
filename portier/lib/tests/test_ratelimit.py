import time

from portier.lib import ratelimit


def test_a_budget_of_five_per_second_spreads_twelve_requests_over_three_seconds():
    windows = []
    for _ in range(12):
        ratelimit.acquire("test:budget", 5)
        windows.append(int(time.time()))
    per_window = {w: windows.count(w) for w in windows}
    assert max(per_window.values()) <= 5
    assert len(per_window) >= 3


def test_zero_means_no_budget():
    for _ in range(100):
        ratelimit.acquire("test:unlimited", 0)
