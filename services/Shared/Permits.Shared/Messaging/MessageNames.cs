using System.Collections.Concurrent;
using System.Collections.Frozen;
using MassTransit;

namespace Permits.Shared.Messaging;

/// <summary>
/// The stable names outbox and inbox rows carry instead of CLR type names: a message's MassTransit URN
/// (<c>urn:message:Permits.Contracts.Review:LicenceApproved</c>), the same name its consumers bind to on the broker.
/// Names are read back through a map built from the contracts assembly, not by loading a type by name, so a row never
/// depends on an assembly's name or version; a contract that is renamed keeps its former name in <see cref="Former"/>,
/// and rows written before the rename are still relayed.
/// </summary>
public static class MessageNames
{
    private const string UrnPrefix = "urn:message:";

    /// <summary>
    /// Former names of renamed contracts → the type now carrying them. Add a line here when a contract type or its
    /// namespace is renamed, and keep it while rows under the old name may still be in any outbox or inbox.
    /// </summary>
    private static readonly FrozenDictionary<string, Type> Former = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every message type of the contracts assembly by name, plus types first written by this process.</summary>
    private static readonly ConcurrentDictionary<string, Type> Known = new(Contracts(), StringComparer.Ordinal);

    /// <summary>The stable name a row of this message type carries.</summary>
    public static string Of(Type type)
    {
        var name = MessageUrn.ForTypeString(type);
        Known.TryAdd(name, type);
        return name;
    }

    /// <summary>
    /// The type of a stored name, or null if nothing here carries it (the row is dead-lettered). Besides stable names,
    /// reads the assembly-qualified CLR names rows were written with before names were stable
    /// (<c>Permits.Contracts.Review.LicenceApproved, Permits.Contracts</c>), by the type's full name only.
    /// </summary>
    public static Type? Resolve(string name)
    {
        if (Former.TryGetValue(name, out var renamed) || Known.TryGetValue(name, out renamed))
        {
            return renamed;
        }

        if (name.StartsWith(UrnPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var fullName = name.Split(',', 2)[0].Trim();
        var dot = fullName.LastIndexOf('.');
        return dot <= 0 ? null : Resolve($"{UrnPrefix}{fullName[..dot]}:{fullName[(dot + 1)..]}");
    }

    private static IEnumerable<KeyValuePair<string, Type>> Contracts() =>
        typeof(Permits.Contracts.Disclosure.DisclosureRecorded).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false, IsNested: false }
                && t.GetInterface("Google.Protobuf.IMessage") is null)
            .Select(t => KeyValuePair.Create(MessageUrn.ForTypeString(t), t));
}
