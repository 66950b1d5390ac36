namespace GaussQuant.Checkpoints.Pickle;

/// <summary>
/// An instance of a class this reader does not know (an argparse Namespace, a Lightning callback state, a path…):
/// kept as an opaque placeholder with whatever the pickle gave it, so arbitrary checkpoint content never stops loading.
/// </summary>
internal sealed class PythonObject(PythonGlobal type, object?[] arguments)
{
    public PythonGlobal Type { get; } = type;

    /// <summary>Constructor or reduce arguments, in order.</summary>
    public object?[] Arguments { get; } = arguments;

    /// <summary>What <c>BUILD</c> set (usually the instance <c>__dict__</c>), or null.</summary>
    public object? State { get; set; }

    /// <summary>Items given by <c>APPEND(S)</c>/<c>ADDITEMS</c> or <c>SETITEM(S)</c> (as key/value tuples) to a list-, set- or dict-like class.</summary>
    public List<object?> Items { get; } = [];

    public override string ToString() => $"{Type.FullName} object";
}
