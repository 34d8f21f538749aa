using Permits.Review;
using Permits.Shared.Hosting;
using Permits.Shared.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddReviewService();
builder.AddPermitsBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapReviewService();
app.Run();
