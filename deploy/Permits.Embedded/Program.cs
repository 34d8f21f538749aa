using Permits.Embedded;

var app = EmbeddedHost.Build(args);
await app.StartAsync();
EmbeddedHost.PrintWelcome(app);
await app.WaitForShutdownAsync();
