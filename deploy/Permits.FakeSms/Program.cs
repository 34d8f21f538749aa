using Permits.FakeSms;

// The same sources a web host reads, read here so that FakeSmsServer.Build stays independent of any host's configuration.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables("ASPNETCORE_")
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

FakeSmsServer.Build(configuration["urls"] ?? "http://127.0.0.1:5083").Run();
