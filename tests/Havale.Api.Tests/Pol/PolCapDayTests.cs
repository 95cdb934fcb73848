using System.Globalization;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Rails;

namespace Havale.Api.Tests.Pol;

/// <summary>The day the caps count against fits the column that stores it, whatever the date.</summary>
public class PolCapDayTests
{
    [Theory]
    [InlineData("2026-03-20T20:29:59Z")] // the last second of a Tehran year
    [InlineData("2026-03-20T20:30:00Z")] // the first of the next
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T20:00:00Z")]
    public void a_tehran_day_is_exactly_as_long_as_its_stored_column(string instantText)
    {
        var instant = DateTimeOffset.Parse(instantText, CultureInfo.InvariantCulture);

        Assert.Equal(PolSenderDay.TehranDayLength, PolCaps.TehranDay(instant).Length);
    }
}
