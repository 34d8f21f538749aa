using Permits.Certificate;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCertificateService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapCertificateService();
app.Run();
