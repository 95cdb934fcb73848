namespace Havale.Api.Platform;

/// <summary>
/// Refuses oversized requests before anything reads them. Kestrel has its own body limit, but the in-process
/// test server does not, and a limit that tests cannot see is a limit nobody knows holds.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.QueryString.Value is { Length: > Limits.QueryStringCharsMax })
        {
            throw new ApiProblem(ErrorCode.ValidationError, $"query string is longer than {Limits.QueryStringCharsMax} characters",
                StatusCodes.Status414UriTooLong);
        }
        if (request.QueryString.Value is { } query && query.Contains("%00", StringComparison.Ordinal))
        {
            // No parameter of any route holds a NUL, and PostgreSQL refuses one in text (SQLSTATE 22021): refused here.
            throw new ApiProblem(ErrorCode.ValidationError, "query string holds a NUL character (%00)");
        }
        if (request.ContentLength > Limits.RequestBodyBytesMax)
        {
            throw TooLarge();
        }
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = Limits.RequestBodyBytesMax;
        }
        if (request.ContentLength is null && request.Body.CanRead)
        {
            // Chunked bodies carry no length up front; count them as they are read.
            request.Body = new LengthLimitedStream(request.Body, Limits.RequestBodyBytesMax);
        }
        return next(context);
    }

    internal static ApiProblem TooLarge()
        => new(ErrorCode.ValidationError, $"request body is larger than {Limits.RequestBodyBytesMax} bytes", StatusCodes.Status413PayloadTooLarge);

    private sealed class LengthLimitedStream(Stream inner, long bytesMax) : Stream
    {
        private long _bytesRead;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _bytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int bytes)
        {
            _bytesRead += bytes;
            if (_bytesRead > bytesMax)
            {
                // The same exception Kestrel throws for its own limit, so body binding treats both alike.
                throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
            }
            return bytes;
        }
    }
}
