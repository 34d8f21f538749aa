using System.Text.Json;

namespace Permits.Shared.Messaging;

internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
