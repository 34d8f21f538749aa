using System.Net;
using System.Net.Sockets;

namespace Permits.LocalInfra;

/// <summary>Finds a currently free TCP port on the loopback interface.</summary>
public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999 by default), which the kernel hands to outgoing connections: a port
    // picked there and released can be taken by the next connection to PostgreSQL or RabbitMQ before it is bound.
    private const int LowestPort = 20000;
    private const int PortsAbove = 12000;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];

    // One lock file per port handed out, held open (exclusively) until this process ends: test processes run in
    // parallel, and without it two of them could pick the same free port in the moment before either binds it.
    private static readonly string Claims = Path.Combine(Path.GetTempPath(), "permits-free-ports");
    private static readonly List<FileStream> Held = [];

    /// <summary>
    /// A port on 127.0.0.1 that is free now and was not handed out before in this process, picked at random below
    /// the ephemeral range (so parallel test processes rarely pick the same one). Another process may still take it
    /// before the caller binds it, so starters retry on "address in use".
    /// </summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = LowestPort + Random.Shared.Next(PortsAbove);
                if (HandedOut.Contains(port) || !IsFree(port) || !Claim(port))
                {
                    continue;
                }

                HandedOut.Add(port);
                return port;
            }

            // The range is crowded: let the OS choose.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var chosen = ((IPEndPoint)listener.LocalEndpoint).Port;
            HandedOut.Add(chosen);
            return chosen;
        }
    }

    /// <summary>Claims <paramref name="port"/> for this process among the processes that use this class.</summary>
    private static bool Claim(int port)
    {
        try
        {
            Directory.CreateDirectory(Claims);
            Held.Add(new FileStream(
                Path.Combine(Claims, port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            return true;
        }
        catch (IOException)
        {
            return false;  // another process holds it
        }
        catch (UnauthorizedAccessException)
        {
            return true;  // no shared temp folder to claim in: the free check alone decides, as before
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static async Task<bool> AcceptsAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }
}
