using Grpc.Core;
using Grpc.Core.Interceptors;
using Permits.Contracts.Review.V1;
using Permits.Shared.Security;
using Permits.Testing;

namespace Permits.Review.Tests;

/// <summary>
/// Test officers sign their calls: a token (signed with the test key Review trusts) for the officer a test names
/// in the request's deprecated officer fields, which Review itself ignores. A call that already carries an
/// Authorization header is left alone, and a request naming nobody goes without a token.
/// </summary>
public sealed class OfficerTokens : Interceptor
{
    /// <summary>A signed token for one officer of one county; no role or county claim when not given.</summary>
    public static string For(string officerId, string? role, string? county, string name = "测试工作人员")
    {
        var claims = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(county))
        {
            claims[PermitsClaims.County] = county;
        }

        return Tokens.Mint(PermitsAudiences.Review, officerId, name, string.IsNullOrEmpty(role) ? [] : [role], claims, scope: PermitsScopes.Api);
    }

    public static Metadata Headers(string token) => new() { { "Authorization", "Bearer " + token } };

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var headers = context.Options.Headers;
        if (headers?.Get("authorization") is null && Named(request) is { } officer)
        {
            var signed = new Metadata();
            foreach (var entry in headers ?? [])
            {
                signed.Add(entry);
            }

            signed.Add("Authorization", "Bearer " + For(officer.Id, officer.Role, officer.County));
            context = new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(signed));
        }

        return continuation(request, context);
    }

    private static (string Id, string Role, string County)? Named(object request) => request switch
    {
        CaseActionRequest a when a.OfficerId.Length > 0 => (a.OfficerId, a.OfficerRole, a.OfficerCountyCode),
        ListQueueRequest q when q.OfficerId.Length > 0 => (q.OfficerId, q.OfficerRole, q.OfficerCountyCode),
        ClaimNextRequest r => Named(r.Action ?? new CaseActionRequest()),
        RequestCorrectionRequest r => Named(r.Action ?? new CaseActionRequest()),
        ReasonedActionRequest r => Named(r.Action ?? new CaseActionRequest()),
        RecordInspectionRequest r => Named(r.Action ?? new CaseActionRequest()),
        RecordOpinionRequest r => Named(r.Action ?? new CaseActionRequest()),
        CheckLayoutRequest r => Named(r.Action ?? new CaseActionRequest()),
        AssignRequest r => Named(r.Action ?? new CaseActionRequest()),
        _ => null,
    };
}
