using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Permits.Identity.Server;

/// <summary>
/// Authorization codes and refresh tokens are read only by Identity itself (every replica holds the same keys): they are
/// signed with HMAC-SHA256 under a key derived from the encryption key that already protects them, not with the RSA key.
/// An RSA-2048 signature costs a millisecond or more of CPU and a sign-in made three (code, access token, identity
/// token); access and identity tokens, which other services and the Portal check with the published keys, keep RSA.
/// A code or refresh token signed with RSA before (by an older replica) still validates: the RSA keys stay accepted.
/// </summary>
public sealed class InternalTokenSigning(SymmetricSecurityKey key)
{
    public SigningCredentials Credentials { get; } = new(key, SecurityAlgorithms.HmacSha256);

    public SymmetricSecurityKey Key => key;

    /// <summary>A key of its own (HKDF from the encryption key), so no secret is used for two purposes.</summary>
    public static InternalTokenSigning From(SymmetricSecurityKey encryption) =>
        new(new SymmetricSecurityKey(HKDF.DeriveKey(
            HashAlgorithmName.SHA256, encryption.Key, 32, salt: [], info: Encoding.ASCII.GetBytes("permits-identity internal token signing")))
        {
            KeyId = "identity-internal",
        });

    private static bool IsInternal(string? tokenType) => tokenType is TokenTypeIdentifiers.Private.AuthorizationCode or TokenTypeIdentifiers.RefreshToken;

    /// <summary>Signs codes and refresh tokens with the HMAC key, after OpenIddict chose its credentials.</summary>
    public sealed class Sign(InternalTokenSigning signing) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
                .UseSingletonHandler<Sign>()
                .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 500)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            if (IsInternal(context.TokenType))
            {
                context.SigningCredentials = signing.Credentials;
            }

            return default;
        }
    }

    /// <summary>Accepts the HMAC key where only codes or refresh tokens are expected.</summary>
    public sealed class Accept(InternalTokenSigning signing) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
                .UseSingletonHandler<Accept>()
                .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 500)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.ValidTokenTypes.Count > 0 && context.ValidTokenTypes.All(IsInternal))
            {
                var parameters = context.TokenValidationParameters;
                parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], signing.Key];
            }

            return default;
        }
    }
}
