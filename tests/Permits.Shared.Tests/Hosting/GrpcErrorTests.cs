using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Permits.Shared.Hosting;

namespace Permits.Shared.Tests.Hosting;

/// <summary>
/// A call that fails because PostgreSQL is restarting says so (UNAVAILABLE, which clients may retry); a fault of ours
/// stays INTERNAL. Seen in the fault run: every probe during PostgreSQL's restart answered 服务内部错误.
/// </summary>
public sealed class When_a_call_fails_inside_a_service
{
    [Fact]
    public async Task Should_answer_unavailable_while_the_database_cannot_be_reached()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1", new SocketException((int)SocketError.ConnectionRefused));
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(refused));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(GrpcErrorInterceptor.UnavailableMessage, error.Status.Detail);
    }

    [Fact]
    public async Task Should_answer_unavailable_when_the_server_is_shutting_down_under_the_call()
    {
        var shutdown = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01");
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(new InvalidOperationException("wrapped", shutdown)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Should_answer_internal_for_an_error_that_trying_again_will_not_mend()
    {
        var missing = new PostgresException("relation \"cases\" does not exist", "ERROR", "ERROR", "42P01");
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(missing));
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("cases", error.Status.Detail, StringComparison.Ordinal);
    }

    private static Task<string> CallAsync(Exception thrown) =>
        new GrpcErrorInterceptor(NullLogger<GrpcErrorInterceptor>.Instance)
            .UnaryServerHandler<string, string>("request", new Context(), (_, _) => throw thrown);

    private sealed class Context : ServerCallContext
    {
        protected override string MethodCore => "/permits.test.v1.Probe/Call";
        protected override string HostCore => "127.0.0.1";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore => [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore => [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
            throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
