namespace Permits.Certificate.Tests;

/// <summary>
/// A PDF is deflated already: PostgreSQL must store the documents' PDF column without compressing it again (migration
/// 010), rather than run pglz over every document inserted for nothing.
/// </summary>
public sealed class When_the_certificate_schema_is_migrated : IAsyncLifetime
{
    private CertificateHost _host = null!;

    public async Task InitializeAsync() => _host = await CertificateHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_store_the_documents_pdf_out_of_line_uncompressed()
    {
        var storage = await _host.QueryAsync<string>(
            """
            SELECT attstorage::text FROM pg_attribute
            WHERE attrelid = 'official_documents'::regclass AND attname = 'pdf'
            """);

        Assert.Equal(["e"], storage);
    }
}
