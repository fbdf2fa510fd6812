/// The firecracker executor's settings: the kernel and root file system images the microVM boots, with
/// optional kernel arguments, initrd and MMDS metadata.
extension ExecutionRules {
    func firecracker(_ fields: Fields) -> FirecrackerExecution? {
        let kernel = fields.string("kernel_image", required: true)
        let rootFileSystem = fields.string("root_file_system", required: true)
        let kernelArgs = fields.string("kernel_args")
        let initrd = fields.string("initrd")
        let initrdPath = fields.string("initrd_path")
        if initrd != nil && initrdPath != nil {
            fields.report("initrd_path", "give either initrd or initrd_path, not both")
        }
        let mmds = fields.string("mmds_message")
        guard let kernel, let rootFileSystem else { return nil }
        return FirecrackerExecution(
            kernelImage: kernel, rootFileSystem: rootFileSystem, kernelArgs: kernelArgs ?? "",
            initrd: initrd ?? initrdPath ?? "", mmdsMessage: mmds ?? "")
    }
}
