namespace Vigil.Security.Auth;

/// <summary>What a login is for. It decides which credentials <see cref="LoginService"/> accepts:
/// app passwords open mail clients' sessions (IMAP, POP3, SMTP submission) and nothing else, never
/// the admin console or webmail over HTTP (issue 6 item 9), so a password saved in a phone's mail
/// app cannot administer the server.</summary>
public enum LoginProtocol
{
    Smtp,
    Imap,
    Pop3,
    Http,
}

public static class LoginProtocols
{
    /// <summary>The lower-case name used in logs, metrics and the auto-ban's records.</summary>
    public static string Name(this LoginProtocol protocol) => protocol switch
    {
        LoginProtocol.Smtp => "smtp",
        LoginProtocol.Imap => "imap",
        LoginProtocol.Pop3 => "pop3",
        LoginProtocol.Http => "http",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    /// <summary>The one place that says where app passwords work.</summary>
    public static bool AcceptsAppPasswords(this LoginProtocol protocol) => protocol is LoginProtocol.Smtp or LoginProtocol.Imap or LoginProtocol.Pop3;
}
