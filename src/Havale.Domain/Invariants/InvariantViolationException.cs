namespace Havale.Domain;

/// <summary>
/// A broken invariant is a programmer error, not bad input: callers must not catch it to
/// carry on, only to roll back and answer a bare 500.
/// </summary>
public sealed class InvariantViolationException(string message) : Exception(message);
