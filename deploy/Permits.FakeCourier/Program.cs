using Permits.FakeCourier;

// The same sources a web host reads (appsettings.json, ASPNETCORE_* and plain environment variables, the command
// line), read here so that FakeCourierServer.Build stays independent of any host's configuration.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables("ASPNETCORE_")
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var url = configuration["urls"] ?? "http://127.0.0.1:5080";
var options = configuration.GetSection("FakeCourier").Get<FakeCourierOptions>() ?? new FakeCourierOptions();
FakeCourierServer.Build(url, options).Run();
