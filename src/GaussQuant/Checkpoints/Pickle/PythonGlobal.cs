namespace GaussQuant.Checkpoints.Pickle;

/// <summary>A class or function named by a pickle (<c>GLOBAL</c> / <c>STACK_GLOBAL</c>); never imported, only recognised by name.</summary>
internal sealed record PythonGlobal(string Module, string Name)
{
    /// <summary>The name as Python 3 spells it (protocol 2 writes Python 2's <c>__builtin__</c> and <c>copy_reg</c>).</summary>
    public string FullName => Module switch
    {
        "__builtin__" => $"builtins.{Name}",
        "copy_reg" => $"copyreg.{Name}",
        _ => $"{Module}.{Name}",
    };

    public override string ToString() => FullName;
}
