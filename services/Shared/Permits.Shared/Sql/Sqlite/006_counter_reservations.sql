-- Numbers taken from a counter ahead of the transaction that uses them (Counters.ReserveAsync): one per purpose
-- (reservation_key), so the transaction that prints the number on a signed document does not hold the counter's lock
-- while it renders, and every retry of it finds the same number. The number is used by the key's transaction or by
-- none: a reservation is made only for work that is then retried until it is done.
CREATE TABLE counter_reservations (
    reservation_key TEXT NOT NULL PRIMARY KEY,
    counter_name TEXT NOT NULL,
    value INTEGER NOT NULL,
    reserved_at TEXT NOT NULL
);
