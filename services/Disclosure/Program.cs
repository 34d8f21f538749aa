using Permits.Disclosure;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDisclosureService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDisclosureService();
app.Run();
