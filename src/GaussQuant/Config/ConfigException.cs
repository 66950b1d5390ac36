namespace GaussQuant.Config;

/// <summary>
/// A config that cannot be read or used: malformed YAML, a missing or unknown key, an unsupported value. The
/// message names the file (with line and column where known) and the key path. An <see cref="IOException"/>
/// (InvalidDataException is sealed) so that callers report it like any other bad input file.
/// </summary>
public sealed class ConfigException : IOException
{
    public ConfigException(string message, ConfigLocation? location = null, Exception? inner = null) : base(message, inner)
    {
        Location = location;
    }

    public ConfigLocation? Location { get; }
}
