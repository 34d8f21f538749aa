using Permits.Delivery;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDeliveryService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDeliveryService();
app.Run();
