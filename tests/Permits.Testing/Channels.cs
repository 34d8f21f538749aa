using Grpc.Net.Client;

namespace Permits.Testing;

public static class Channels
{
    /// <summary>A gRPC channel over cleartext HTTP/2 to a service's gRPC address.</summary>
    public static GrpcChannel For(string url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    });
}
