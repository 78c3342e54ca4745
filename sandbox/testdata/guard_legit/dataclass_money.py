# A dataclass with a hand-written __eq__ that really compares (and a __ne__
# that defers to it), plus NotImplemented for foreign types.
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(eq=False)
class Money:
    amount: Decimal
    currency: str = "EUR"
    tags: list = field(default_factory=list)

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash((self.amount, self.currency))


def total(items):
    currencies = {m.currency for m in items}
    if len(currencies) > 1:
        raise ValueError("mixed currencies")
    return Money(sum((m.amount for m in items), Decimal(0)), currencies.pop() if currencies else "EUR")
### TEST
import unittest
from decimal import Decimal


class TestCases(unittest.TestCase):
    def test_total(self):
        self.assertEqual(total([Money(Decimal("1.10")), Money(Decimal("2.20"), tags=["x"])]), Money(Decimal("3.30")))

    def test_not_equal(self):
        self.assertNotEqual(Money(Decimal(1)), Money(Decimal(1), "USD"))
        self.assertNotEqual(Money(Decimal(1)), 1)

    def test_mixed(self):
        with self.assertRaises(ValueError):
            total([Money(Decimal(1)), Money(Decimal(1), "USD")])
