namespace GaussQuant.Config;

/// <summary>
/// The authors' configs name every component as <c>{target: class.path, params: {...}}</c> (their
/// <c>instantiate_from_config</c> convention). This reads that convention and checks the class path against the ones
/// the caller accepts; which classes exist is the caller's knowledge, not this layer's.
/// </summary>
internal static class TargetNode
{
    /// <summary>
    /// Reads the <c>{target, params}</c> node at <paramref name="key"/> of <paramref name="owner"/>, which may hold no
    /// other keys, checks its target is one of <paramref name="accepted"/> and returns it with its params.
    /// </summary>
    public static (string Target, ConfigSection Params) Read(ConfigSection owner, string key, IReadOnlyCollection<string> accepted,
        Func<string, string?>? whyUnsupported = null)
    {
        var node = owner.Section(key);
        var result = ReadTarget(node, accepted, whyUnsupported);
        node.RejectUnknown();
        return result;
    }

    /// <summary>
    /// Reads the <c>target</c> and <c>params</c> keys of <paramref name="node"/>, which may hold other keys too.
    /// <paramref name="whyUnsupported"/> may explain a target that is known but deliberately not built.
    /// </summary>
    public static (string Target, ConfigSection Params) ReadTarget(ConfigSection node, IReadOnlyCollection<string> accepted,
        Func<string, string?>? whyUnsupported = null)
    {
        string target = node.String("target");
        var parameters = node.Section("params");
        if (accepted.Contains(target)) return (target, parameters);
        throw node.Error("target", whyUnsupported?.Invoke(target) is { } reason
            ? $"{target} is not supported: {reason}"
            : $"unknown target '{target}'; the targets GaussQuant builds here are: {string.Join(", ", accepted)}");
    }
}
