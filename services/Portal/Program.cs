using Permits.Portal;
using Permits.Shared.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPortal();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPortal();
app.Run();
