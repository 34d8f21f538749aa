using Permits.Identity;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapIdentityService();
app.Run();
