using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Events;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Tests.Outbound;

/// <summary>A temporary embedded store with the outbound pieces wired as the host wires them.</summary>
public sealed class OutboundFixture : IAsyncDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("vigil-outbound-").FullName;

    public OutboundFixture()
    {
        Db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        Directory = new SqliteDirectoryStore(Db);
        Messages = new SqliteMessageStore(Db);
        Queue = new SqliteQueueStore(Db);
        Blobs = new FileBlobStore(Path.Combine(_dir, "blobs"));
        Outbound = new OutboundQueue(Queue, Signal, TimeProvider.System, NullLogger<OutboundQueue>.Instance);
        Delivery = new DeliveryService(Messages, Blobs, new MailboxEvents(), NullLogger<DeliveryService>.Instance, Outbound);
    }

    public SqliteDatabase Db { get; }
    public SqliteDirectoryStore Directory { get; }
    public SqliteMessageStore Messages { get; }
    public SqliteQueueStore Queue { get; }
    public FileBlobStore Blobs { get; }
    public QueueSignal Signal { get; } = new();
    public OutboundQueue Outbound { get; }
    public DeliveryService Delivery { get; }
    public RecipientResolver Resolver => new(Directory);
    public static CancellationToken Ct => CancellationToken.None;

    public async Task<BlobId> BlobAsync(string content)
    {
        await using var writer = Blobs.CreateWriter();
        await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), Ct);
        return await writer.CommitAsync(Ct);
    }

    /// <summary>Queues a message from <paramref name="sender"/> to the given remote recipients.</summary>
    public async Task<string> EnqueueAsync(string sender, params string[] recipients) =>
        await EnqueueAsync(sender, recipients.Select(r => new EnvelopeRecipient(r, DsnNotify.Default, null)).ToArray());

    public async Task<string> EnqueueAsync(string sender, EnvelopeRecipient[] recipients, string subject = "queued")
    {
        var content = $"From: {sender}\r\nTo: {string.Join(", ", recipients.Select(r => r.Address))}\r\nSubject: {subject}\r\n\r\nbody {Guid.NewGuid()}\r\n";
        var blob = await BlobAsync(content);
        var id = QueueIds.New();
        var envelope = new Envelope(sender, recipients, null, DsnReturn.Default, BodyType.SevenBit, false, null, "127.0.0.1", "test");
        await Outbound.EnqueueAsync(id, blob, content.Length, envelope, recipients, Ct);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        System.IO.Directory.Delete(_dir, recursive: true);
    }
}
