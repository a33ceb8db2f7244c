using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Events;
using Vigil.Core.Outbound;
using Vigil.Ops.Alerts;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Incident;

public sealed class MailAlertSinkTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-alertmail-").FullName;
    private SqliteDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task An_alert_for_a_remote_admin_address_is_queued_for_outbound_delivery()
    {
        // The admin's mailbox is usually elsewhere (the point of an alert is that this server may
        // be compromised). The alert once failed here: its made-up queue id was refused.
        var directory = new SqliteDirectoryStore(_db);
        var queue = new SqliteQueueStore(_db);
        var blobs = new FileBlobStore(Path.Combine(_dir, "blobs"));
        var outbound = new OutboundQueue(queue, new QueueSignal(), TimeProvider.System, NullLogger<OutboundQueue>.Instance);
        var delivery = new DeliveryService(new SqliteMessageStore(_db), blobs, new MailboxEvents(), NullLogger<DeliveryService>.Instance, outbound);
        var options = new AlertOptions("mx.example.test", "instance-1", "admin@elsewhere.test", null, false);
        var sink = new MailAlertSink(options, blobs, new RecipientResolver(directory), delivery, NullLogger<MailAlertSink>.Instance);

        await sink.SendAsync(new Alert("integrity.unexpected_file", "blobs/x.ps1", "a file appeared", "integrity-watch", DateTimeOffset.UtcNow), default);

        var entry = Assert.Single(await queue.ListAsync(default));
        Assert.True(QueueIds.IsWellFormed(entry.Message.Id));
        Assert.Equal("", entry.Message.Envelope.MailFrom);
        Assert.Equal("admin@elsewhere.test", Assert.Single(entry.Recipients).Address);
        using var body = new StreamReader(blobs.OpenRead(entry.Message.Blob)!);
        Assert.Contains("integrity.unexpected_file", await body.ReadToEndAsync(), StringComparison.Ordinal);
    }
}
