using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Havale.Api.Platform;

/// <summary>
/// An example of a wire type for the OpenAPI document. Each feature registers its own (<see cref="ApiExamples.AddApiExample"/>),
/// in a file beside its wire types, using the seed's people and banks, Persian names included.
/// </summary>
public sealed record ApiExample(Type Type, object Value);

public static class ApiExamples
{
    public static IServiceCollection AddApiExample<T>(this IServiceCollection services, T example) where T : notnull
        => services.AddSingleton(new ApiExample(typeof(T), example));
}

/// <summary>The HTTP status a result type is answered with when it is not 200 (Kilid's refusals are DONE envelopes at 400).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnsweredWithStatusAttribute(int status) : Attribute
{
    public int Status { get; } = status;
}

/// <summary>
/// Describes every route's answers in the OpenAPI document from its handler's declared return type: each
/// <c>JsonHttpResult&lt;SuccessEnvelope&lt;T&gt;&gt;</c> in it becomes a response with that envelope's schema, and every route
/// gets the failure envelope under the statuses the platform answers any call with (bad input, token, not found,
/// flood limits, a broken invariant). ASP.NET Core's own <c>JsonHttpResult</c> carries no such metadata, and a handler
/// that declares <c>IResult</c> says nothing at all, which is why the handlers declare <c>Results&lt;…&gt;</c>.
/// </summary>
public sealed class EnvelopeDocs(IEnumerable<ApiExample> examples) : IOpenApiOperationTransformer
{
    private readonly Dictionary<Type, object> _examples = examples.ToDictionary(example => example.Type, example => example.Value);

    private static readonly (ErrorCode Code, string Description, string Message)[] PlatformFailures =
    [
        (ErrorCode.ValidationError, "A field is missing or malformed, or a rule refused the call.", "amount: must be a whole number of rials"),
        (ErrorCode.Unauthorized, "No token, or one the gateway did not issue.", "invalid token"),
        (ErrorCode.Forbidden, "The token does not grant this scope, client or deposit.", "the token does not grant this scope"),
        (ErrorCode.NotFound, "No such object of the caller's.", "no such order on this deposit"),
        (ErrorCode.TooManyRequests, "A flood limit was reached.", "too many requests"),
        (ErrorCode.InternalServerError, "A broken invariant: nothing was written; the trackId names the call.", "internal error"),
    ];

    public const string ExampleTrackId = "5f0c8a52-3b1e-4d7a-9c61-2a4e0b7d9f13";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        DescribePathParameters(operation, context);
        var handler = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
        if (handler is null)
        {
            return;
        }
        operation.Responses ??= [];
        foreach (var wireType in AnsweredTypes(handler.ReturnType))
        {
            var resultType = wireType.IsGenericType && wireType.GetGenericTypeDefinition() == typeof(SuccessEnvelope<>)
                ? wireType.GetGenericArguments()[0]
                : null;
            var status = (resultType ?? wireType).GetCustomAttribute<AnsweredWithStatusAttribute>()?.Status ?? StatusCodes.Status200OK;
            var example = EnvelopedExampleOf(wireType);
            operation.Responses[Text(status)] = new OpenApiResponse
            {
                Description = status == StatusCodes.Status200OK ? "Done." : "Refused: the answer names the rule.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = await context.GetOrCreateSchemaAsync(wireType, null, cancellationToken),
                        Example = example is null ? null : JsonSerializer.SerializeToNode(example, wireType, HavaleJson.Options),
                    },
                },
            };
        }
        // A handler whose answer is not a typed result (instantPayment stores its answer's bytes for the call log, the
        // token endpoint's answer is written by OpenIddict) declares it with Produces; the schema is ASP.NET Core's,
        // the example is added here.
        foreach (var declared in context.Description.SupportedResponseTypes)
        {
            if (declared.Type is { } type && EnvelopedExampleOf(type) is { } example
                && operation.Responses.TryGetValue(Text(declared.StatusCode), out var response)
                && response.Content?.TryGetValue("application/json", out var media) == true && media.Example is null)
            {
                media.Example = JsonSerializer.SerializeToNode(example, type, HavaleJson.Options);
            }
        }
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<HtmlPageMetadata>().Any())
        {
            foreach (var response in operation.Responses.Values)
            {
                if (response.Content?.TryGetValue(DocsConventions.HtmlContentType, out var page) == true && page.Example is null)
                {
                    page.Example = JsonValue.Create(DocsConventions.HtmlExample);
                }
            }
            return;
        }
        await DescribeBodyAsync(operation, context, cancellationToken);
        if (metadata.OfType<OwnFailuresMetadata>().Any())
        {
            return;
        }
        DescribeTrackId(operation, isRequired: metadata.OfType<RequiresTrackIdMetadata>().Any());
        var failure = await context.GetOrCreateSchemaAsync(typeof(FailureEnvelope), null, cancellationToken);
        foreach (var (code, description, message) in PlatformFailures)
        {
            var status = code.DefaultHttpStatus();
            operation.Responses.TryAdd(Text(status), new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = failure,
                        Example = JsonSerializer.SerializeToNode(new FailureEnvelope(ExampleTrackId, new EnvelopeError(code.WireName(), message)), HavaleJson.Options),
                    },
                },
            });
        }
        // The generic 200 ASP.NET Core adds for a handler whose answers it cannot see is replaced by the ones above.
        if (operation.Responses.TryGetValue("200", out var generic) && generic.Content is null or { Count: 0 })
        {
            operation.Responses.Remove("200");
        }
    }

    /// <summary>
    /// The body's example, and for a body the handler does not bind (<see cref="DocumentedBodyMetadata"/>) its schema too.
    /// </summary>
    private async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var bodyType = context.Description.ParameterDescriptions
            .FirstOrDefault(parameter => parameter.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body)?.Type;
        if (operation.RequestBody is null
            && context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBodyMetadata>().FirstOrDefault() is { } documented)
        {
            bodyType = documented.Type;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [documented.ContentType] = new() { Schema = await context.GetOrCreateSchemaAsync(documented.Type, null, cancellationToken) },
                },
            };
        }
        if (operation.RequestBody?.Content is not { } bodies)
        {
            return;
        }
        if (bodyType is not null && ExampleOf(bodyType) is { } example)
        {
            foreach (var media in bodies.Values)
            {
                media.Example = JsonSerializer.SerializeToNode(example, bodyType, HavaleJson.Options);
            }
        }
    }

    /// <summary>
    /// <c>?trackId=</c>, read by <see cref="TrackIdMiddleware"/> before any handler, so no handler's parameters name it:
    /// required where the route moves or changes money, otherwise made up when missing and echoed in the envelope.
    /// </summary>
    /// <summary>
    /// Every <c>{name}</c> of the route as a required path parameter. The ones the handler binds are described already;
    /// <c>{clientId}</c>, and <c>{nid}</c> and <c>{deposit}</c> on some routes, are read by the access check, not the
    /// handler, so nothing else says they are there.
    /// </summary>
    private static void DescribePathParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var path = context.Description.RelativePath ?? "";
        operation.Parameters ??= [];
        foreach (System.Text.RegularExpressions.Match placeholder in System.Text.RegularExpressions.Regex.Matches(path, "{([A-Za-z]+)(?::([a-z]+))?}"))
        {
            var name = placeholder.Groups[1].Value;
            if (operation.Parameters.Any(parameter => parameter.In == ParameterLocation.Path && parameter.Name == name))
            {
                continue;
            }
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = WireSchemas.PathParameterSchema(name, placeholder.Groups[2].Success ? placeholder.Groups[2].Value : null),
            });
        }
    }

    private static void DescribeTrackId(OpenApiOperation operation, bool isRequired)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = TrackIdEndpointExtensions.QueryParameter,
            In = ParameterLocation.Query,
            Required = isRequired,
            Description = isRequired
                ? "The caller's id of this call; a retry with the same trackId and body is answered as the first call was."
                : "The caller's id of this call, echoed in the answer; when missing, Havale makes one up.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = TrackId.LengthMax, Pattern = WireSchemas.TrackIdPattern },
            Example = JsonValue.Create(ExampleTrackId),
        });
    }

    private static string Text(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The body types a handler's declared return names, failure envelopes left out (the platform's cover them):
    /// <c>Task&lt;Results&lt;JsonHttpResult&lt;SuccessEnvelope&lt;T&gt;&gt;, JsonHttpResult&lt;FailureEnvelope&gt;&gt;&gt;</c> names
    /// <c>SuccessEnvelope&lt;T&gt;</c>.
    /// </summary>
    public static IEnumerable<Type> AnsweredTypes(Type returnType)
    {
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)))
        {
            return AnsweredTypes(returnType.GetGenericArguments()[0]);
        }
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(JsonHttpResult<>))
        {
            var value = returnType.GetGenericArguments()[0];
            return value == typeof(FailureEnvelope) ? [] : [value];
        }
        if (returnType.IsGenericType && returnType.Namespace == typeof(Results<,>).Namespace && returnType.Name.StartsWith("Results`", StringComparison.Ordinal))
        {
            return returnType.GetGenericArguments().SelectMany(AnsweredTypes);
        }
        return [];
    }

    /// <summary>An example of <paramref name="type"/>; for an envelope, the example of its result in one.</summary>
    private object? EnvelopedExampleOf(Type type)
        => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(SuccessEnvelope<>)
           && ExampleOf(type.GetGenericArguments()[0]) is { } result
            ? Activator.CreateInstance(type, ExampleTrackId, result)
            : ExampleOf(type);

    private object? ExampleOf(Type type)
    {
        if (_examples.TryGetValue(type, out var example))
        {
            return example;
        }
        // A list of examples is an example of the list.
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>)) && ExampleOf(type.GetGenericArguments()[0]) is { } item)
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]))!;
            list.Add(item);
            return list;
        }
        return null;
    }
}
