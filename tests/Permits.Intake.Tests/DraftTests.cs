using Grpc.Core;
using Permits.Contracts.Intake.V1;
using Permits.Testing;

namespace Permits.Intake.Tests;

public abstract class When_a_shopkeeper_saves_a_draft(string provider) : IAsyncLifetime
{
    private IntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await IntakeHost.StartAsync(provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_keep_every_field_as_typed_even_when_invalid()
    {
        var form = SampleApplications.Individual();
        form.IdNumber = "33042419800101001";  // one digit short: still saved, checked only on submit
        form.BusinessName = "<b>惠民</b>便利店";

        var saved = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = form }, IntakeHost.As());
        var back = await _host.Client.GetDraftAsync(new GetDraftRequest { DraftId = saved.DraftId }, IntakeHost.As());

        form.DraftId = saved.DraftId;
        Assert.Equal(form, back.Form);
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_update_the_same_draft_and_remove_it_once_submitted()
    {
        var form = SampleApplications.Individual();
        form.ContactPhone = "";
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = form }, IntakeHost.As());
        form.ContactPhone = "13800571234";
        await _host.Client.SaveDraftAsync(new SaveDraftRequest { DraftId = draft.DraftId, Form = form }, IntakeHost.As());

        var listed = await _host.Client.ListMyApplicationsAsync(new ListMyApplicationsRequest(), IntakeHost.As());
        var only = Assert.Single(listed.Drafts);
        Assert.Equal("13800571234", only.Form.ContactPhone);

        var submit = only.Form.Clone();
        var first = await _host.Client.SubmitAsync(submit, IntakeHost.As());
        var retry = await _host.Client.SubmitAsync(submit, IntakeHost.As());

        Assert.Equal(first.ApplicationId, retry.ApplicationId);
        listed = await _host.Client.ListMyApplicationsAsync(new ListMyApplicationsRequest(), IntakeHost.As());
        Assert.Empty(listed.Drafts);
        Assert.Single(listed.Applications);
    }

    [Fact]
    public async Task Should_keep_the_draft_when_the_submission_is_refused()
    {
        var form = SampleApplications.Individual();
        form.IdNumber = "330424198001010013";
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = form }, IntakeHost.As());

        await Assert.ThrowsAsync<RpcException>(() => _host.Client.SubmitAsync(draft.Form, IntakeHost.As()).ResponseAsync);

        Assert.Equal(1, await _host.CountAsync("application_drafts"));
        Assert.Equal(0, await _host.CountAsync("applications"));
    }

    [Fact]
    public async Task Should_hide_a_draft_from_anyone_else()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());

        var read = await Assert.ThrowsAsync<RpcException>(() => _host.Client.GetDraftAsync(
            new GetDraftRequest { DraftId = draft.DraftId }, IntakeHost.As("13900572345")).ResponseAsync);
        var overwrite = await Assert.ThrowsAsync<RpcException>(() => _host.Client.SaveDraftAsync(
            new SaveDraftRequest { DraftId = draft.DraftId, Form = new SubmitApplicationRequest() }, IntakeHost.As("13900572345")).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, read.StatusCode);
        Assert.Equal(StatusCode.NotFound, overwrite.StatusCode);
        var mine = await _host.Client.GetDraftAsync(new GetDraftRequest { DraftId = draft.DraftId }, IntakeHost.As());
        Assert.Equal("海盐县武原街道惠民便利店", mine.Form.BusinessName);
    }

    [Fact]
    public async Task Should_let_the_owner_delete_a_draft_at_the_limit_and_start_again()
    {
        var drafts = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            drafts.Add((await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As())).DraftId);
        }

        var stuck = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, stuck.StatusCode);
        await _host.Client.UploadMaterialAsync(new UploadMaterialRequest
        {
            DraftId = drafts[0], Kind = MaterialKind.IdCard, FileName = "id.jpg",
            Content = Google.Protobuf.ByteString.CopyFrom([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01]),
        }, IntakeHost.As());

        var deleted = await _host.Client.DeleteDraftAsync(new DeleteDraftRequest { DraftId = drafts[0] }, IntakeHost.As());

        Assert.Equal(drafts[0], deleted.DraftId);
        Assert.Equal(19, await _host.CountAsync("application_drafts"));
        Assert.Equal(0, await _host.CountAsync("application_materials"));
        await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());
        var again = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.DeleteDraftAsync(new DeleteDraftRequest { DraftId = drafts[0] }, IntakeHost.As()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Should_not_let_anyone_else_delete_a_draft()
    {
        var draft = await _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = SampleApplications.Individual() }, IntakeHost.As());

        var other = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeleteDraftAsync(
            new DeleteDraftRequest { DraftId = draft.DraftId }, IntakeHost.As("13900572345")).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeleteDraftAsync(
            new DeleteDraftRequest { DraftId = draft.DraftId }).ResponseAsync);
        var officer = await Assert.ThrowsAsync<RpcException>(() => _host.Client.DeleteDraftAsync(
            new DeleteDraftRequest { DraftId = draft.DraftId }, IntakeHost.AsOfficer("330424", "clerk")).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, other.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, officer.StatusCode);
        Assert.Equal(1, await _host.CountAsync("application_drafts"));
    }

    [Fact]
    public async Task Should_refuse_an_oversized_draft()
    {
        var form = SampleApplications.Individual();
        form.PremisesAddress = new string('路', 40_000);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _host.Client.SaveDraftAsync(new SaveDraftRequest { Form = form }, IntakeHost.As()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(0, await _host.CountAsync("application_drafts"));
    }
}

public sealed class When_a_shopkeeper_saves_a_draft_on_sqlite() : When_a_shopkeeper_saves_a_draft("Sqlite");

public sealed class When_a_shopkeeper_saves_a_draft_on_postgresql() : When_a_shopkeeper_saves_a_draft("PostgreSql");
