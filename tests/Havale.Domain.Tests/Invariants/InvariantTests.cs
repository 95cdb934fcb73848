namespace Havale.Domain.Tests.Invariants;

public class InvariantTests
{
    [Fact]
    public void condition_that_holds_does_nothing() => Invariant.Holds(1 + 1 == 2);

    [Fact]
    public void condition_that_fails_throws_with_the_expression_text()
    {
        var balanceRials = -5L;

        var exception = Assert.Throws<InvariantViolationException>(() => Invariant.Holds(balanceRials >= 0));

        Assert.Equal("invariant failed: balanceRials >= 0", exception.Message);
    }

    [Fact]
    public void explicit_expression_text_is_used_when_given()
    {
        var exception = Assert.Throws<InvariantViolationException>(() => Invariant.Holds(false, "debits equal credits"));

        Assert.Equal("invariant failed: debits equal credits", exception.Message);
    }

    [Fact]
    public void check_is_not_compiled_away_in_release_builds()
    {
        var holds = typeof(Invariant).GetMethod(nameof(Invariant.Holds))!;

        Assert.Empty(holds.GetCustomAttributes(typeof(System.Diagnostics.ConditionalAttribute), inherit: false));
    }
}
