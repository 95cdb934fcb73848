using System.Text;
using Havale.Api.Platform;

namespace Havale.Api.Tests.Platform;

/// <summary>Every kind of bad input answers Finnotech's failure envelope, with the right status and the field named.</summary>
public sealed class EnvelopeTests(SqliteGateway gateway) : IClassFixture<SqliteGateway>, IAsyncLifetime
{
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await gateway.CreateProbeClientAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string PayUri(string trackId = "t-1") => $"/probe/v2/clients/havale-demo/pay?trackId={trackId}";

    private static string NewTrackId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task an_unknown_route_answers_404_NOT_FOUND_in_the_envelope()
    {
        var answer = await _client.GetEnvelopeAsync("/oak/v2/clients/havale-demo/nothingHere");
        answer.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("/oak/v2/clients/havale-demo/nothingHere", answer.ErrorMessage);
    }

    [Fact]
    public async Task a_wrong_method_answers_405_in_the_envelope()
    {
        var answer = await _client.CallAsync(HttpMethod.Delete, "/health");
        answer.ShouldFail(HttpStatusCode.MethodNotAllowed, "VALIDATION_ERROR");
        Assert.Contains("DELETE", answer.ErrorMessage);
    }

    [Fact]
    public async Task malformed_json_is_refused_as_invalid_json()
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), "{\"amount\": 1000,");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("not valid JSON", answer.ErrorMessage);
    }

    [Theory]
    [InlineData("{\"amount\": 1000, \"name\": 5}", "name: has the wrong type")]
    [InlineData("{\"amount\": 1.5}", "amount: must be a whole number")]
    [InlineData("{\"amount\": 1e3}", "amount: must be a whole number")]
    [InlineData("{\"amount\": 0}", "amount: ")]
    [InlineData("{\"amount\": -5}", "amount: ")]
    [InlineData("{\"amount\": \"12.5\"}", "amount: ")]
    [InlineData("{\"amount\": \"-12\"}", "amount: ")]
    [InlineData("{\"amount\": 99999999999999999999}", "amount: must be a whole number")]
    [InlineData("{\"amount\": true}", "amount: must be a number of rials or a string of digits")]
    [InlineData("{\"amount\": 1, \"items\": [{\"amount\": 5, \"order\": \"2\"}]}", "items[0].order: has the wrong type")]
    [InlineData("{\"amount\": 1, \"items\": [{\"amount\": 5}, {\"amount\": \"x\"}]}", "items[1].amount: ")]
    [InlineData("{\"amount\": 1, \"amount\": 2}", "amount: is given more than once")]
    public async Task a_field_of_the_wrong_type_or_value_is_named_in_the_error(string json, string expected)
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), json);
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith(expected, answer.ErrorMessage);
    }

    [Theory]
    [InlineData("12000", 12000)]
    [InlineData("\"12000\"", 12000)]
    [InlineData("1", 1)]
    public async Task an_amount_may_be_a_json_number_or_a_numeric_string(string amountJson, long expectedRials)
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), $"{{\"amount\": {amountJson}}}");
        answer.ShouldSucceed();
        Assert.Equal(expectedRials, answer.Result.GetProperty("amountRials").GetInt64());
    }

    [Fact]
    public async Task a_missing_required_field_is_named()
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), "{\"name\": \"x\"}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("amount: is required", answer.ErrorMessage);
    }

    [Fact]
    public async Task a_missing_body_is_refused()
    {
        var answer = await _client.CallAsync(HttpMethod.Post, PayUri(NewTrackId()), "");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("request body", answer.ErrorMessage);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    public async Task a_body_that_is_not_an_object_is_refused(string json)
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), json);
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("request body must be a JSON object", answer.ErrorMessage);
    }

    [Fact]
    public async Task a_body_that_is_not_json_content_is_refused_with_415()
    {
        var answer = await _client.CallAsync(HttpMethod.Post, PayUri(NewTrackId()), "{\"amount\": 5}", "text/plain");
        answer.ShouldFail(HttpStatusCode.UnsupportedMediaType, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task nesting_deeper_than_the_limit_is_refused()
    {
        var deep = new StringBuilder("{\"amount\": 1, \"name\": ");
        for (var i = 0; i < Limits.JsonDepthMax + 1; i++)
        {
            deep.Append('[');
        }
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), deep.ToString());
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused_with_413()
    {
        var atLimit = PaddedBody(Limits.RequestBodyBytesMax);
        (await _client.PostEnvelopeAsync(PayUri(NewTrackId()), atLimit)).ShouldSucceed();

        var pastLimit = PaddedBody(Limits.RequestBodyBytesMax + 1);
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), pastLimit);
        answer.ShouldFail(HttpStatusCode.RequestEntityTooLarge, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_chunked_body_past_the_limit_is_refused_with_413()
    {
        var bytes = Encoding.UTF8.GetBytes(PaddedBody(Limits.RequestBodyBytesMax + 10));
        using var request = new HttpRequestMessage(HttpMethod.Post, PayUri(NewTrackId()))
        {
            // A stream of unknown length travels chunked, with no Content-Length to check up front.
            Content = new StreamContent(new UnknownLengthStream(bytes)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await _client.SendAsync(request);
        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("VALIDATION_ERROR", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task a_query_string_past_its_limit_is_refused()
    {
        var answer = await _client.GetEnvelopeAsync("/health?x=" + new string('a', Limits.QueryStringCharsMax));
        answer.ShouldFail(HttpStatusCode.RequestUriTooLong, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_money_call_without_a_trackId_is_refused_naming_trackId()
    {
        var answer = await _client.PostEnvelopeAsync("/probe/v2/clients/havale-demo/pay", "{\"amount\": 5}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("trackId: is required on this call", answer.ErrorMessage);
    }

    [Theory]
    [InlineData("has_underscore")]
    [InlineData("has%20space")]
    [InlineData("%D8%B3%D9%84%D8%A7%D9%85")] // Persian letters
    public async Task a_malformed_trackId_is_refused_naming_trackId(string trackId)
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(trackId), "{\"amount\": 5}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith("trackId: ", answer.ErrorMessage);
        Assert.NotEqual(trackId, answer.Str("trackId"));
    }

    [Fact]
    public async Task a_trackId_of_40_characters_is_accepted_and_41_refused()
    {
        var forty = new string('a', 36) + Guid.NewGuid().ToString("N")[..4];
        var answer = await _client.PostEnvelopeAsync(PayUri(forty), "{\"amount\": 5}");
        answer.ShouldSucceed();
        Assert.Equal(forty, answer.Str("trackId"));

        (await _client.PostEnvelopeAsync(PayUri(forty + "b"), "{\"amount\": 5}")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_trackId_given_twice_is_refused()
    {
        var answer = await _client.PostEnvelopeAsync("/probe/v2/clients/havale-demo/pay?trackId=a1&trackId=a2", "{\"amount\": 5}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("trackId: must be given once", answer.ErrorMessage);
    }

    [Fact]
    public async Task a_read_without_a_trackId_gets_a_generated_uuid()
    {
        var answer = (await _client.GetEnvelopeAsync("/probe/v2/clients/havale-demo/read")).ShouldSucceed();
        Assert.True(Guid.TryParse(answer.Str("trackId"), out _), answer.Raw);
    }

    [Fact]
    public async Task a_read_echoes_the_callers_trackId()
    {
        var answer = (await _client.GetEnvelopeAsync("/health?trackId=health-check-1")).ShouldSucceed();
        Assert.Equal("health-check-1", answer.Str("trackId"));
    }

    [Fact]
    public async Task an_unhandled_exception_answers_500_with_the_trackId_and_no_internals()
    {
        var trackId = NewTrackId();
        var answer = await _client.PostEnvelopeAsync($"/probe/v2/clients/havale-demo/explode?trackId={trackId}", "{}");
        answer.ShouldFail(HttpStatusCode.InternalServerError, "INTERNAL_SERVER_ERROR");
        Assert.Equal(trackId, answer.Str("trackId"));
        Assert.DoesNotContain("SELECT", answer.Raw);
        Assert.DoesNotContain("InvalidOperationException", answer.Raw);
        Assert.DoesNotContain(" at ", answer.Raw);
    }

    [Fact]
    public async Task persian_text_is_written_as_itself_not_escaped()
    {
        var answer = await _client.PostEnvelopeAsync(PayUri(NewTrackId()), "{\"amount\": 5, \"name\": \"محمود دولت‌آبادی\"}");
        answer.ShouldSucceed();
        Assert.Contains("محمود دولت‌آبادی", answer.Raw);
        Assert.DoesNotContain("\\u06", answer.Raw);
    }

    [Fact]
    public async Task the_openapi_document_and_the_docs_page_are_served()
    {
        var document = await _client.GetEnvelopeAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.Status);
        Assert.True(document.Body.GetProperty("paths").TryGetProperty("/health", out _));

        var page = await _client.GetEnvelopeAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    private static string PaddedBody(long totalBytes)
    {
        const string head = "{\"amount\": 5, \"name\": \"";
        const string tail = "\"}";
        return head + new string('x', (int)totalBytes - head.Length - tail.Length) + tail;
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
