"""The pure core: records, money, identity numbers and rules. No I/O, no clock, no printing."""
