using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Security.Auth;
using Vigil.Security.Bans;
using Vigil.Security.Limits;
using Vigil.Security.MailAuth;

namespace Vigil.Host.Config;

/// <summary>The instance configuration, <c>DATA/vigil.json</c>. One section per feature, each in
/// its own file.</summary>
public sealed class VigilConfig
{
    public string Hostname { get; set; } = "localhost";
    public string InstanceId { get; set; } = Guid.NewGuid().ToString("N");
    public string Bind { get; set; } = "0.0.0.0";
    public int PortOffset { get; set; }
    public ListenerPorts Ports { get; set; } = new();
    public TlsConfig Tls { get; set; } = new();
    public SmtpConfig Smtp { get; set; } = new();
    public Pop3Config Pop3 { get; set; } = new();
    public ImapConfig Imap { get; set; } = new();
    public IndexingConfig Indexing { get; set; } = new();
    public StorageConfig Storage { get; set; } = new();
    public SecurityConfig Security { get; set; } = new();
    public AuditConfig Audit { get; set; } = new();
    public AutoBanOptions AutoBan { get; set; } = new();
    public LoginOptions Login { get; set; } = new();
    public IntegrityConfig Integrity { get; set; } = new();
    public AlertsConfig Alerts { get; set; } = new();
    public AdvisoriesConfig Advisories { get; set; } = new();
    public FleetConfig Fleet { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public Ops.Backup.BackupSettings Backup { get; set; } = new();
    public OutboundConfig Outbound { get; set; } = new();
    public MailAuthOptions MailAuth { get; set; } = new();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static VigilConfig Load(DataDirectory data)
    {
        if (!data.IsInitialised) throw new UserErrorException($"{data.Root} is not a Vigil data directory (no vigil.json); run 'vigil init' first");
        try
        {
            return JsonSerializer.Deserialize<VigilConfig>(File.ReadAllText(data.ConfigFile), Json) ?? throw new UserErrorException($"{data.ConfigFile} is empty");
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{data.ConfigFile} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Writes the config and renews its seal, so the integrity watch can tell Vigil's own
    /// changes from changes made behind its back (docs/incident-response.md).</summary>
    public void Save(DataDirectory data)
    {
        var tmp = data.ConfigFile + ".tmp";
        // 0600: the config may name credentials (alert webhooks, backup targets).
        Vigil.Security.SecretFile.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, data.ConfigFile, overwrite: true);
        if (File.Exists(data.InstanceKeyFile))
        {
            using var key = Vigil.Security.Keys.InstanceKey.Load(data.InstanceKeyFile);
            Vigil.Ops.Integrity.ConfigSeal.Write(data.ConfigFile, data.ConfigSealFile, key);
        }
    }
}
