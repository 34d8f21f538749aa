using Permits.Intake;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIntakeService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapIntakeService();
app.Run();
