using Permits.Notifications;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotificationsService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapNotificationsService();
app.Run();
