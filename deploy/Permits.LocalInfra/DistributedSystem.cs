using System.Globalization;

namespace Permits.LocalInfra;

/// <summary>
/// The whole system as separate processes on free loopback ports, against the PostgreSQL and RabbitMQ given in
/// <see cref="DistributedSystemOptions"/>: the fake courier and SMS gateway, the back-end services and the Portal. Without TLS
/// a port speaks either HTTP/1.1 or HTTP/2, so each back-end gets two: <c>urls</c> (HTTP/1.1: health, REST) and
/// <c>Grpc:Url</c> (HTTP/2 prior knowledge), and <c>Services:&lt;Name&gt;:Url</c> points every caller at the latter.
/// </summary>
public sealed class DistributedSystem : IAsyncDisposable
{
    public const string FakeCourier = "FakeCourier";
    public const string FakeSms = "FakeSms";
    public const string Identity = "Identity";
    public const string Intake = "Intake";
    public const string Review = "Review";
    public const string Certificate = "Certificate";
    public const string Delivery = "Delivery";
    public const string Disclosure = "Disclosure";
    public const string Notifications = "Notifications";
    public const string Portal = "Portal";

    /// <summary>The back-end services, which own a database and use the bus.</summary>
    public static IReadOnlyList<string> BackEndServices { get; } = [Intake, Review, Certificate, Delivery, Disclosure, Identity, Notifications];

    /// <summary>Every process, in start order.</summary>
    public static IReadOnlyList<string> AllServices { get; } = [FakeCourier, FakeSms, .. BackEndServices, Portal];

    private readonly DistributedSystemOptions options;
    private readonly Dictionary<string, Dictionary<string, string>> environments;
    private readonly Dictionary<string, ServiceProcess> processes = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim gate = new(1, 1);
    private static readonly Lazy<string> SigningKeyPem = new(() =>
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    });

    private DistributedSystem(DistributedSystemOptions options, Dictionary<string, int> ports, Dictionary<string, int> grpcPorts)
    {
        this.options = options;
        Urls = ports.ToDictionary(p => p.Key, p => BaseUrl(p.Value), StringComparer.OrdinalIgnoreCase);
        GrpcUrls = grpcPorts.ToDictionary(p => p.Key, p => BaseUrl(p.Value), StringComparer.OrdinalIgnoreCase);
        environments = AllServices.ToDictionary(s => s, EnvironmentOf, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Where each process writes its log (<c>Service.log</c>).</summary>
    public string LogDirectory => options.LogDirectory;

    /// <summary>Service name → HTTP/1.1 base URL (http://127.0.0.1:port), for every process.</summary>
    public IReadOnlyDictionary<string, string> Urls { get; }

    /// <summary>Back-end service name → gRPC (HTTP/2 cleartext) base URL.</summary>
    public IReadOnlyDictionary<string, string> GrpcUrls { get; }

    /// <summary>
    /// Starts the fake courier, then the five back-end services in parallel, then the Portal, each waited for until
    /// /health/ready answers 200. If any fails, the ones started are stopped and the error names the culprit.
    /// </summary>
    public static async Task<DistributedSystem> StartAsync(DistributedSystemOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Configuration is not ("Debug" or "Release"))
        {
            throw new ArgumentException($"Configuration must be Debug or Release, not '{options.Configuration}'.", nameof(options));
        }

        var taken = new HashSet<int>();
        var ports = AllServices.ToDictionary(s => s, _ => DistinctPort(taken), StringComparer.OrdinalIgnoreCase);
        var grpcPorts = BackEndServices.ToDictionary(s => s, _ => DistinctPort(taken), StringComparer.OrdinalIgnoreCase);
        var system = new DistributedSystem(options, ports, grpcPorts);
        try
        {
            // Fail before starting anything if a service was not built.
            foreach (var service in AllServices)
            {
                var dll = system.DllOf(service);
                if (!File.Exists(dll))
                {
                    throw new FileNotFoundException(
                        $"{service} is not built for {options.Configuration}: '{dll}' is missing. " +
                        $"Run `dotnet build Permits.sln -c {options.Configuration}` first.", dll);
                }
            }

            await system.StartServiceAsync(FakeCourier, null, ct);
            await system.StartServiceAsync(FakeSms, null, ct);
            await Task.WhenAll(BackEndServices.Select(s => system.StartServiceAsync(s, null, ct)));
            await system.StartServiceAsync(Portal, null, ct);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>The base URL of a service (http://127.0.0.1:port).</summary>
    public string UrlOf(string service) =>
        Urls.TryGetValue(service, out var url)
            ? url
            : throw new ArgumentException($"Unknown service '{service}'; known: {string.Join(", ", AllServices)}.", nameof(service));

    /// <summary>The gRPC (HTTP/2 cleartext) base URL of a back-end service.</summary>
    public string GrpcUrlOf(string service) =>
        GrpcUrls.TryGetValue(service, out var url)
            ? url
            : throw new ArgumentException($"'{service}' serves no gRPC; these do: {string.Join(", ", BackEndServices)}.", nameof(service));

    /// <summary>
    /// Kills the service hard (like a crash), starts it again on the same port with the same environment plus
    /// <paramref name="extraEnvironment"/> (for this run only), and waits until it is healthy.
    /// </summary>
    public async Task RestartAsync(string service, IReadOnlyDictionary<string, string>? extraEnvironment = null, CancellationToken ct = default)
    {
        var name = Canonical(service);
        await gate.WaitAsync(ct);
        try
        {
            if (processes.Remove(name, out var old))
            {
                await old.DisposeAsync();
            }
        }
        finally
        {
            gate.Release();
        }

        await StartServiceAsync(name, extraEnvironment, ct);
    }

    /// <summary>Kills the service hard (like a crash); it stays down until <see cref="RestartAsync"/>.</summary>
    public void Kill(string service)
    {
        var name = Canonical(service);
        gate.Wait();
        try
        {
            if (processes.TryGetValue(name, out var process))
            {
                process.Kill();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The running process of a service (e.g. for its log), if started.</summary>
    public ServiceProcess? ProcessOf(string service)
    {
        var name = Canonical(service);
        gate.Wait();
        try
        {
            return processes.GetValueOrDefault(name);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops every process: the Portal first, the fake courier last.</summary>
    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            foreach (var service in AllServices.Reverse())
            {
                if (processes.Remove(service, out var process))
                {
                    await process.DisposeAsync();
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StartServiceAsync(string service, IReadOnlyDictionary<string, string>? overrides, CancellationToken ct)
    {
        var environment = new Dictionary<string, string>(environments[service]);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        ServiceProcess process;
        await gate.WaitAsync(ct);
        try
        {
            process = ServiceProcess.Start(service, DllOf(service), environment, options.LogDirectory);
            processes[service] = process;
        }
        finally
        {
            gate.Release();
        }

        await process.WaitHealthyAsync(Urls[service] + "/health/ready", options.HealthTimeout, ct);
    }

    private Dictionary<string, string> EnvironmentOf(string service)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Urls[service],
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Courier__BaseUrl"] = Urls[FakeCourier],
            ["Identity__Authority"] = Urls[Identity] + "/",
            ["Courier__WebhookSecret"] = "permits-dev-courier-webhook-secret",
            ["Courier__CallbackUrl"] = Urls[Delivery] + "/courier/webhook",
            ["Sms__BaseUrl"] = Urls[FakeSms],
            // As the images set it (deploy/images/Containerfile): two glibc arenas rather than up to 16 on two cores.
            ["MALLOC_ARENA_MAX"] = "2",
        };
        foreach (var backEnd in BackEndServices)
        {
            env[$"Services__{backEnd}__Url"] = GrpcUrls[backEnd];
        }

        if (BackEndServices.Contains(service))
        {
            env["Grpc__Url"] = GrpcUrls[service];
            env["Database__Provider"] = "PostgreSql";
            env["Database__CreateIfMissing"] = "true";
            env["ConnectionStrings__Database"] = options.DatabaseConnectionString(
                $"permits_{service.ToLowerInvariant()}{options.DatabaseSuffix}");
            env["Bus__Transport"] = "RabbitMq";
            env["ConnectionStrings__RabbitMq"] = options.RabbitMqUri;
        }

        if (service == Identity)
        {
            // The Portal is Identity's OpenID Connect client; the demo accounts and keys live with this system.
            env["DataDirectory"] = Path.Combine(options.LogDirectory, "identity-data");
            env["Identity__Issuer"] = Urls[Identity] + "/";
            env["Identity__AllowHttp"] = "true";
            env["Identity__DemoAccounts"] = "true";
            env["Identity__SmsGatewayUrl"] = Urls[FakeSms];
            // Production generates no keys: this system's own, made for it as a deployment's Secret would hold them.
            env["Identity__SigningKey__KeyId"] = "local";
            env["Identity__SigningKey__Pem"] = SigningKeyPem.Value;
            env["Identity__EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            env["Identity__Clients__0__ClientId"] = "portal";
            env["Identity__Clients__0__ClientSecret"] = "portal-demo-secret";
            env["Identity__Clients__0__GrantTypes__0"] = "authorization_code";
            env["Identity__Clients__0__RedirectUris__0"] = Urls[Portal] + "/signin-oidc";
            env["Identity__Clients__0__PostLogoutRedirectUris__0"] = Urls[Portal] + "/";
            env["Identity__Clients__0__Scopes__0"] = "openid";
            env["Identity__Clients__0__Scopes__1"] = "profile";
            env["Identity__Clients__0__Scopes__2"] = "permits";
        }

        if (service == Portal)
        {
            env["Portal__ClientId"] = "portal";
            env["Portal__ClientSecret"] = "portal-demo-secret";
            env["Portal__DataProtection__KeysDirectory"] = Path.Combine(options.LogDirectory, "portal-keys");
        }

        foreach (var (key, value) in options.ExtraEnvironment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        if (options.ServiceEnvironment is not null)
        {
            foreach (var (name, variables) in options.ServiceEnvironment)
            {
                if (string.Equals(name, service, StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var (key, value) in variables)
                    {
                        env[key] = value;
                    }
                }
            }
        }

        return env;
    }

    private string DllOf(string service)
    {
        var root = options.RepositoryRoot ?? RepoPaths.Root;
        var folder = service is FakeCourier or FakeSms ? Path.Combine("deploy", $"Permits.{service}") : Path.Combine("services", service);
        return Path.Combine(root, folder, "bin", options.Configuration, "net10.0", $"Permits.{service}.dll");
    }

    private string Canonical(string service) =>
        AllServices.FirstOrDefault(s => string.Equals(s, service, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown service '{service}'; known: {string.Join(", ", AllServices)}.", nameof(service));

    private static int DistinctPort(HashSet<int> taken)
    {
        int port;
        do
        {
            port = FreePort.Next();
        }
        while (!taken.Add(port));
        return port;
    }

    private static string BaseUrl(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
