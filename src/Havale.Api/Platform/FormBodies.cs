namespace Havale.Api.Platform;

/// <summary>
/// The pages' form posts (consent login, signatory console). <see cref="HttpRequest.ReadFormAsync(CancellationToken)"/>
/// throws InvalidOperationException for a body that is not a form and InvalidDataException for one past the form limits, IOException for a multipart body that ends early;
/// both are the caller's mistake, so they are refused here instead of reaching the exception handler as a 500.
/// </summary>
public static class FormBodies
{
    public static async Task<IFormCollection> ReadFormOrRefuseAsync(this HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new ApiProblem(ErrorCode.ValidationError, "Content-Type must be application/x-www-form-urlencoded or multipart/form-data",
                StatusCodes.Status415UnsupportedMediaType);
        }
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new ApiProblem(ErrorCode.ValidationError, "the form could not be read: it is malformed or past the form limits");
        }
    }
}
