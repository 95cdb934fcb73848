namespace Havale.Domain.Tests.Time;

public class TehranTimeTests
{
    [Fact]
    public void zone_is_asia_tehran_at_plus_three_thirty_today()
    {
        Assert.Equal("Asia/Tehran", TehranTime.Zone.Id);
        Assert.Equal(new TimeSpan(3, 30, 0), TehranTime.Zone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void summer_after_2022_has_no_daylight_saving()
    {
        var summer = TehranTime.ToTehran(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new TimeSpan(3, 30, 0), summer.Offset);
        Assert.Equal(new DateTime(2025, 7, 1, 15, 30, 0), summer.DateTime);
    }

    [Fact]
    public void same_instant_is_kept_when_converted()
    {
        var instant = new DateTimeOffset(2026, 1, 5, 22, 10, 0, TimeSpan.Zero);

        Assert.Equal(instant, TehranTime.ToTehran(instant));
    }
}
