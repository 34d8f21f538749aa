using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Xunit.Abstractions;

namespace Permits.Security.Tests;

/// <summary>The table and the contracts: every rpc has exactly one declared policy, and the two readings of the contracts agree.</summary>
public sealed class When_the_contracts_are_read(ITestOutputHelper output)
{
    [Fact]
    public void Should_declare_a_policy_for_every_rpc()
    {
        var compiled = Rpcs.Compiled().Keys.ToHashSet();
        var inFiles = Rpcs.InProtoFiles();
        var declared = AccessPolicy.Rules.Select(r => r.Rpc).ToList();
        output.WriteLine($"rpcs: {compiled.Count} compiled, {inFiles.Count} in .proto files, {declared.Count} declared");

        Assert.Empty(inFiles.Except(compiled).Select(r => "in a .proto file but not compiled: " + r));
        Assert.Empty(compiled.Except(inFiles).Select(r => "compiled but in no .proto file under contracts/protos: " + r));
        Assert.Empty(compiled.Except(declared).Select(r => "no access policy declared in AccessPolicy.Rules: " + r));
        Assert.Empty(declared.Except(compiled).Select(r => "a policy for an rpc that does not exist: " + r));
        Assert.Empty(declared.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => "declared twice: " + g.Key));
    }
}

/// <summary>
/// The embedded system on SQLite with real tokens, and what the matrix's requests name: one for every class of the
/// collection (their requests never undo what another's rely on).
/// </summary>
public sealed class MatrixSystem : IAsyncLifetime
{
    public const string Name = "the embedded system on SQLite";

    public SystemUnderTest System { get; private set; } = null!;

    public CallerTokens Tokens { get; private set; } = null!;

    public Seed Seed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        System = await SystemUnderTest.StartAsync("Sqlite");
        Tokens = new CallerTokens(System);
        Seed = await Seed.CreateAsync(System, Tokens);
    }

    public async Task DisposeAsync() => await System.DisposeAsync();
}

/// <summary>Every rpc × every caller, real calls with real (and forged) tokens against the whole system.</summary>
[CollectionDefinition(MatrixSystem.Name)]
public sealed class MatrixCollection : ICollectionFixture<MatrixSystem>;

[Collection(MatrixSystem.Name)]
public sealed class When_every_caller_calls_every_rpc(MatrixSystem fixture, ITestOutputHelper output)
{
    /// <summary>What the running system serves over gRPC is what the contracts declare: no rpc escapes the table.</summary>
    [Fact]
    public void Should_serve_only_rpcs_with_a_declared_policy()
    {
        var served = fixture.System.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .Select(m => m.Method.FullName.TrimStart('/'))
            .ToHashSet();
        var declared = AccessPolicy.Rules.Select(r => r.Rpc).ToHashSet();
        output.WriteLine($"served over gRPC: {served.Count} rpcs");

        Assert.Empty(served.Except(declared).Select(r => "served, but no access policy declared: " + r));
        Assert.Empty(declared.Except(served).Select(r => "declared, but not served by the system: " + r));
    }

    [Fact]
    public async Task Should_answer_each_as_the_access_policy_declares()
    {
        var compiled = Rpcs.Compiled();
        var invoker = fixture.System.Channel.CreateCallInvoker();
        var mismatches = new List<string>();
        var allowedAnswers = new List<string>();
        var calls = 0;
        var rules = AccessPolicy.Rules.Where(r => compiled.ContainsKey(r.Rpc)).ToList();
        foreach (var rule in rules)
        {
            foreach (var caller in CallerKinds.All)
            {
                var expected = rule.ExpectedFor(caller);
                var headers = await fixture.Tokens.HeadersAsync(caller, rule.Model, rule.OtherCountyRole);
                var (code, detail) = await Rpcs.CallAsync(invoker, compiled[rule.Rpc], rule.Request(fixture.Seed, caller), headers);
                calls++;
                if (!Satisfies(rule, expected, code))
                {
                    mismatches.Add($"{rule.Rpc} as {caller}: expected {expected}, got {code} {detail}");
                }
                else if (expected == Expect.Allowed)
                {
                    allowedAnswers.Add(code.ToString());
                    if (code is StatusCode.InvalidArgument or StatusCode.NotFound)
                    {
                        // Allowed, but the request did not get far: worth a look when the table changes.
                        output.WriteLine($"  (allowed) {rule.Rpc} as {caller}: {code} {detail}");
                    }
                }
            }
        }

        output.WriteLine($"authorization matrix: {rules.Count} rpcs × {CallerKinds.All.Length} callers, {calls} calls, {mismatches.Count} mismatches");
        output.WriteLine("  allowed cells answered: " + string.Join(", ",
            allowedAnswers.GroupBy(a => a).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        foreach (var mismatch in mismatches)
        {
            output.WriteLine("  " + mismatch);
        }

        Assert.Empty(mismatches);
    }

    /// <summary>
    /// Issue 12: permission before validation. A caller who may not call an rpc is refused the same way when the
    /// request names the same target (case, licence, application, county …) but nothing else in it is valid: the
    /// refusal cannot depend on the rest of the request, nor tell which fields would have been wrong.
    /// </summary>
    [Fact]
    public async Task Should_refuse_before_reading_the_request()
    {
        var compiled = Rpcs.Compiled();
        var invoker = fixture.System.Channel.CreateCallInvoker();
        var mismatches = new List<string>();
        var calls = 0;
        foreach (var rule in AccessPolicy.Rules.Where(r => compiled.ContainsKey(r.Rpc)))
        {
            foreach (var caller in CallerKinds.All)
            {
                var expected = rule.ExpectedFor(caller);
                if (expected is not (Expect.Unauthenticated or Expect.PermissionDenied))
                {
                    continue;
                }

                var request = rule.Request(fixture.Seed, caller);
                TargetOnly(request);
                var headers = await fixture.Tokens.HeadersAsync(caller, rule.Model, rule.OtherCountyRole);
                var (code, detail) = await Rpcs.CallAsync(invoker, compiled[rule.Rpc], request, headers);
                calls++;
                if (!Satisfies(rule, expected, code))
                {
                    mismatches.Add($"{rule.Rpc} (target only) as {caller}: expected {expected}, got {code} {detail}");
                }
            }
        }

        output.WriteLine($"permission before validation: {calls} calls with only the target named, {mismatches.Count} mismatches");
        foreach (var mismatch in mismatches)
        {
            output.WriteLine("  " + mismatch);
        }

        Assert.Empty(mismatches);
    }

    /// <summary>Keeps what names the target (ids, numbers, county, year, query code) and clears every other field.</summary>
    private static void TargetOnly(Google.Protobuf.IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var name = field.Name;
            if (name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("_number", StringComparison.Ordinal)
                || name is "county_code" or "year" or "query_code")
            {
                continue;
            }

            if (!field.IsRepeated && field.FieldType == Google.Protobuf.Reflection.FieldType.Message
                && field.Accessor.GetValue(message) is Google.Protobuf.IMessage nested)
            {
                TargetOnly(nested);
                continue;
            }

            field.Accessor.Clear(message);
        }
    }

    private static bool Satisfies(AccessRule rule, Expect expected, StatusCode code) => expected switch
    {
        Expect.Allowed => code is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.Internal or StatusCode.Unknown)
                          // Where NOT_FOUND is how this rpc refuses, an allowed caller must not get it: their request names what exists.
                          && !(code == StatusCode.NotFound && !rule.SeedHasNothingToFind
                               && (rule.Refusal == Expect.NotFound || rule.Except.Values.Contains(Expect.NotFound))),
        Expect.AllowedOrUnauthenticated => code == StatusCode.Unauthenticated || Satisfies(rule, Expect.Allowed, code),
        Expect.Unauthenticated => code == StatusCode.Unauthenticated,
        Expect.PermissionDenied => code == StatusCode.PermissionDenied,
        Expect.NotFound => code == StatusCode.NotFound,
        _ => false,
    };
}
