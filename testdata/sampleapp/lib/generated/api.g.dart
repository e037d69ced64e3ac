// GENERATED CODE - DO NOT MODIFY BY HAND
const _baseUrl = 'https://generated.codegen-host.com';
