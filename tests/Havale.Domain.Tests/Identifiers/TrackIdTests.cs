namespace Havale.Domain.Tests.Identifiers;

public class TrackIdTests
{
    private const string ShapeError = "must be 1 to 40 characters: letters, digits and '-'";

    [Theory]
    [InlineData("a")]
    [InlineData("get-clients-credentials-token-2")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn")] // 40 characters
    [InlineData("0123456789-0123456789-0123456789-0123456")] // 40 characters
    [InlineData("---")]
    public void letters_digits_and_dashes_up_to_40_characters_are_a_track_id(string text)
    {
        var trackId = ParseAssert.Accepted<TrackId>(TrackId.TryParse, TrackId.Parse, text);

        Assert.Equal(text, trackId.Value);
        Assert.Equal(text, trackId.ToString());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno", ShapeError)] // 41 characters
    [InlineData("track_1", ShapeError)]
    [InlineData("track 1", ShapeError)]
    [InlineData(" track", ShapeError)]
    [InlineData("track.1", ShapeError)]
    [InlineData("track/1", ShapeError)]
    [InlineData("ترک", ShapeError)]
    [InlineData("trackﬁ", ShapeError)] // a ligature that case folding could turn into letters
    [InlineData("track١", ShapeError)] // an Arabic-Indic digit
    public void anything_else_is_refused_as_a_track_id(string? text, string expectedError) =>
        ParseAssert.Refused<TrackId>(TrackId.TryParse, TrackId.Parse, text, expectedError);

    [Fact]
    public void limit_is_40_characters()
    {
        Assert.True(TrackId.TryParse(new string('x', TrackId.LengthMax), out _, out _));
        Assert.False(TrackId.TryParse(new string('x', TrackId.LengthMax + 1), out _, out _));
    }

    [Fact]
    public void new_uuid_is_a_valid_36_character_track_id()
    {
        var trackId = TrackId.NewUuid();

        Assert.Equal(36, trackId.Value.Length);
        Assert.True(Guid.TryParseExact(trackId.Value, "D", out _));
        Assert.Equal(trackId, TrackId.Parse(trackId.Value));
        Assert.NotEqual(trackId, TrackId.NewUuid());
    }

    [Fact]
    public void track_ids_differing_only_in_case_are_different() =>
        Assert.NotEqual(TrackId.Parse("abc"), TrackId.Parse("ABC"));
}
